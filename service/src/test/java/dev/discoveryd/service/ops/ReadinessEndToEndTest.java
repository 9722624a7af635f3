package dev.discoveryd.service.ops;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.config.ServeOptions;
import dev.discoveryd.service.grpc.WireEncoder;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.Journal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** /healthz and /readyz on the landing and metrics ports, through start-up, loading, serving and stopping. */
class ReadinessEndToEndTest {
    @TempDir
    Path dataDir;

    private static void expect(OpsSurface ops, int readyStatus, String readyBody) {
        for (int port : new int[]{ops.landingPort(), ops.metricsPort()}) {
            assertThat(Http.get(port, "/healthz").statusCode()).isEqualTo(200);
            var ready = Http.get(port, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(readyStatus);
            assertThat(ready.body()).isEqualTo(readyBody + "\n");
        }
    }

    @Test
    void notReadyWhileStateLoadsOrListenersAreDownThenReadyThenNotReadyWhenStopping() throws Exception {
        ServeOptions options = new ServeOptions();
        new CommandLine(options).parseArgs("--landing-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0", "--in-memory");
        Vertx vertx = Vertx.vertx();
        OpsSurface ops = new OpsSurface(options.toConfig(), options.toOpsConfig());
        try {
            ClusterRegistry registry = new ClusterRegistry(Journal.NONE, new WireEncoder(), ops.stateListener(), Clock.systemUTC());
            // The order DiscoveryServer follows: side ports first, so probes get answers while state is rebuilt.
            ops.openSidePorts(vertx, registry);
            expect(ops, 503, "not ready: state is loading");

            View view = new View();
            ClusterState cluster = new ClusterState("loaded");
            long later = System.currentTimeMillis() + 600_000;
            cluster.restore(Affiliate.restore("a", new byte[]{1}, later, new byte[][]{{1}, {2}}, new long[]{later, later}));
            cluster.restore(Affiliate.restore("b", new byte[]{2}, later, new byte[][]{{3}}, new long[]{later}));
            view.restore(cluster);
            registry.load(view, LogPosition.START);
            ops.stateLoaded(view);
            expect(ops, 503, "not ready: gRPC listeners are not up");

            ops.grpcListening(List.of());
            expect(ops, 200, "ready");
            JsonObject stats = new JsonObject(Http.get(ops.landingPort(), "/stats").body());
            assertThat(stats.getLong("affiliates")).as("a loaded view is counted").isEqualTo(2);
            assertThat(stats.getLong("endpoints")).isEqualTo(3);
            assertThat(new PromText(Http.get(ops.metricsPort(), "/metrics").body()).value("discovery_state_clusters")).isEqualTo(1);

            ops.close();
            expect(ops, 503, "not ready: gRPC listeners are not up");
        } finally {
            ops.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestartedServerIsReadyWithItsRecoveredStateCounted() throws Exception {
        String[] args = {"--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0",
                "--event-loops=1", "--data-dir=" + dataDir};
        try (DiscoveryServer server = DiscoveryServer.start(args);
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            expect(server.ops(), 200, "ready");
            client.call(dev.discoveryd.api.server.ClusterGrpcClient.AffiliateUpdate, MetricsEndToEndTest.update("r", "x", 2, 600));
            client.call(dev.discoveryd.api.server.ClusterGrpcClient.AffiliateUpdate, MetricsEndToEndTest.update("r", "y", 1, 600));
        }
        try (DiscoveryServer server = DiscoveryServer.start(args)) {
            expect(server.ops(), 200, "ready");
            PromText m = new PromText(Http.get(server.ops().metricsPort(), "/metrics").body());
            assertThat(m.value("discovery_state_affiliates")).isEqualTo(2);
            assertThat(m.value("discovery_state_endpoints")).isEqualTo(3);
            assertThat(m.value("discovery_state_clusters")).isEqualTo(1);

            server.ops().readiness().stateLoaded(false);
            expect(server.ops(), 503, "not ready: state is loading");
            server.ops().readiness().stateLoaded(true);
            expect(server.ops(), 200, "ready");
        }
    }
}
