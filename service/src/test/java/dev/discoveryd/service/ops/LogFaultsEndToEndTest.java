package dev.discoveryd.service.ops;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.eventlog.WriterFaults;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.config.ServeOptions;
import dev.discoveryd.service.e2e.MutableClock;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected into the real event log under the real server (issue 17 items 10-12): what clients, probes and
 * metrics see when the log's writer dies, an fsync fails, or the log stalls.
 */
@Timeout(120)
class LogFaultsEndToEndTest {
    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.now());

    private DiscoveryServer start(WriterFaults faults, String... extra) throws Exception {
        ServeOptions options = new ServeOptions();
        String[] base = {"--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0",
                "--event-loops=1", "--ip-rate-limit=0", "--data-dir=" + dataDir};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        new CommandLine(options).parseArgs(args);
        return DiscoveryServer.start(options.toConfig(), options.toOpsConfig(), clock, faults);
    }

    private static GrpcCaller.Result<?> update(GrpcCaller client, String affiliate) {
        return client.call(ClusterGrpcClient.AffiliateUpdate, MetricsEndToEndTest.update("c", affiliate, 1, 600));
    }

    private static PromText metrics(DiscoveryServer server) {
        return new PromText(Http.get(server.ops().metricsPort(), "/metrics").body());
    }

    @Test
    void aFailedFsyncRefusesChangesAndReportsNotReadyUntilRestart() throws Exception {
        AtomicInteger failNextSyncs = new AtomicInteger();
        WriterFaults faults = new WriterFaults() {
            @Override
            public void beforeSync() {
                if (failNextSyncs.getAndDecrement() > 0) {
                    throw new UncheckedIOException(new IOException("Input/output error"));
                }
            }
        };
        try (DiscoveryServer server = start(faults, "--log-sync=always");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            assertThat(update(client, "before").status()).isEqualTo(GrpcStatus.OK);
            failNextSyncs.set(1);
            GrpcCaller.Result<?> failed = update(client, "during");
            assertThat(failed.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
            // The disk "recovered", but the log does not trust it again without a restart.
            assertThat(update(client, "after").status()).isEqualTo(GrpcStatus.UNAVAILABLE);
            var ready = Http.get(server.ops().metricsPort(), "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).startsWith("not ready: event log fsync failed").contains("restarted");
            assertThat(metrics(server).value("discovery_eventlog_stopped")).isEqualTo(1);
            // Reads go on from memory.
            var list = client.call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId("c").build());
            assertThat(list.status()).isEqualTo(GrpcStatus.OK);
        }
        try (DiscoveryServer server = start(WriterFaults.NONE, "--log-sync=always");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            assertThat(Http.get(server.ops().metricsPort(), "/readyz").statusCode()).isEqualTo(200);
            assertThat(update(client, "restarted").status()).isEqualTo(GrpcStatus.OK);
        }
    }

    @Test
    void anErrorOnTheWriterThreadFailsChangesPromptlyAndReportsNotReady() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        WriterFaults faults = new WriterFaults() {
            @Override
            public void beforeWrite() {
                if (armed.getAndSet(false)) {
                    throw new AssertionError("injected writer fault");
                }
            }
        };
        try (DiscoveryServer server = start(faults);
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            assertThat(update(client, "before").status()).isEqualTo(GrpcStatus.OK);
            armed.set(true);
            assertThat(update(client, "during").status()).isEqualTo(GrpcStatus.UNAVAILABLE);
            GrpcCaller.Result<?> later = update(client, "after");
            assertThat(later.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
            var ready = Http.get(server.ops().landingPort(), "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("event log writer stopped").contains("injected writer fault");
        }
    }

    @Test
    void whileTheLogStallsTheQueueIsBoundedAndGoneCallersAreNotJournaled() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stall = new AtomicBoolean();
        WriterFaults faults = new WriterFaults() {
            @Override
            public void beforeSync() {
                if (stall.getAndSet(false)) {
                    stalled.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS); // a disk that takes its time
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (DiscoveryServer server = start(faults, "--log-sync=always", "--cluster-queue=2");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            stall.set(true);
            CompletableFuture<GrpcCaller.Result<?>> inFlight = CompletableFuture.supplyAsync(() -> update(client, "a"));
            assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
            // Queued behind it: one whose caller waits 30 s, one that waits as long as it takes.
            CompletableFuture<GrpcCaller.Result<?>> impatient = CompletableFuture.supplyAsync(() -> client.call(
                    ClusterGrpcClient.AffiliateUpdate, MetricsEndToEndTest.update("c", "b", 1, 600), Map.of(), 30_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.registry().queuedChanges() == 1);
            CompletableFuture<GrpcCaller.Result<?>> patient = CompletableFuture.supplyAsync(() -> update(client, "c"));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.registry().queuedChanges() == 2);

            GrpcCaller.Result<?> refused = update(client, "d");
            assertThat(refused.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
            assertThat(refused.message()).contains("too many changes waiting");

            clock.advance(Duration.ofSeconds(31)); // by the server's clock, the impatient caller's deadline is past
            release.countDown();
            assertThat(inFlight.get(10, TimeUnit.SECONDS).status()).isEqualTo(GrpcStatus.OK);
            assertThat(patient.get(10, TimeUnit.SECONDS).status()).isEqualTo(GrpcStatus.OK);
            assertThat(impatient.get(10, TimeUnit.SECONDS).status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
            var list = client.call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId("c").build());
            assertThat(((dev.discoveryd.api.server.ListResponse) list.reply()).getAffiliatesList())
                    .extracting(a -> a.getId()).containsExactlyInAnyOrder("a", "c");
            PromText m = metrics(server);
            assertThat(m.value("discovery_state_commands_dropped_total", Map.of("reason", "deadline"))).isEqualTo(1);
            assertThat(m.value("discovery_state_queue_refused_total")).isEqualTo(1);
        }
    }
}
