package dev.discoveryd.service.e2e;

import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import ch.qos.logback.classic.Level;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.h2.LogCapture;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.discoveryd.service.e2e.ProtocolEndToEndTest.bytes;
import static dev.discoveryd.service.e2e.ProtocolEndToEndTest.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kill or stop, then start on the same data directory: the state comes back from snapshot + log tail, or from the log
 * alone.
 */
class RestartEndToEndTest {
    private static final int CLUSTERS = 5;

    private static DiscoveryServer start(Path dir) throws Exception {
        return DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--data-dir=" + dir,
                "--snapshot-interval=100ms", "--ip-rate-limit=0");
    }

    private static List<ListResponse> all(TestClient client) {
        List<ListResponse> out = new ArrayList<>();
        for (int c = 0; c < CLUSTERS; c++) {
            ListResponse r = client.call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId("c" + c).build()).reply();
            // Affiliate order carries no meaning; endpoint order does and is compared as is.
            List<dev.discoveryd.api.server.Affiliate> sorted = new ArrayList<>(r.getAffiliatesList());
            sorted.sort(java.util.Comparator.comparing(dev.discoveryd.api.server.Affiliate::getId));
            out.add(ListResponse.newBuilder().addAllAffiliates(sorted).build());
        }
        return out;
    }

    private static void write(TestClient client, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(client.call(ClusterGrpcClient.AffiliateUpdate, update("c" + (i % CLUSTERS), "a" + i)
                    .setAffiliateData(bytes(10, i)).addAffiliateEndpoints(bytes(16, i % 7)).build()).status())
                    .isEqualTo(GrpcStatus.OK);
        }
    }

    @Test
    void snapshotPlusTailRestoresTheStateAfterAKill(@TempDir Path dir) throws Exception {
        List<ListResponse> before;
        // Its own JVM, killed with SIGKILL: no close, no final snapshot, so what was written after the last periodic
        // snapshot can only come back through the log tail.
        try (JarProcess service = JarProcess.fromClassPath(List.of("--addr=127.0.0.1:0", "--landing-addr=",
                "--metrics-addr=", "--data-dir=" + dir, "--snapshot-interval=2s", "--ip-rate-limit=0"));
             TestClient client = new TestClient(service.port)) {
            write(client, 0, 100);
            // A periodic snapshot that holds those 100 (an earlier one, e.g. of the empty start, does not count).
            await().atMost(60, TimeUnit.SECONDS).until(() -> service.output.toString().contains(", 5 clusters, 100 affiliates,"));
            int saves;
            do { // the last write must come after the start of the last snapshot (one each 2 s)
                saves = saves(service);
                write(client, 100, 130);
                for (int i = 0; i < 10; i++) {
                    client.call(ClusterGrpcClient.AffiliateDelete, AffiliateDeleteRequest.newBuilder()
                            .setClusterId("c" + (i % CLUSTERS)).setAffiliateId("a" + i).build());
                }
                before = all(client);
            } while (saves(service) != saves);
            service.kill();
        }
        assertThat(Files.isDirectory(dir.resolve("snapshots"))).isTrue();
        try (LogCapture logs = LogCapture.start();
             DiscoveryServer server = start(dir); TestClient client = new TestClient(server.grpcPort())) {
            assertThat(all(client)).isEqualTo(before);
            assertThat(logs.atLeast(Level.INFO)).anySatisfy(l -> assertThat(l).contains("snapshot loaded: log position"))
                    .anySatisfy(l -> assertThat(l).containsPattern("state rebuilt: [1-9][0-9]* log events replayed after "
                            + "snapshot position"));
            write(client, 130, 140);
            before = all(client);
        }
        try (DiscoveryServer server = start(dir); TestClient client = new TestClient(server.grpcPort())) {
            assertThat(all(client)).isEqualTo(before);
        }
    }

    /** Snapshots the killed service reported saving. */
    private static int saves(JarProcess service) {
        return service.output.toString().split("snapshot saved: log position", -1).length - 1;
    }

    @Test
    void aDamagedSnapshotFallsBackToTheWholeLog(@TempDir Path dir) throws Exception {
        List<ListResponse> before;
        try (DiscoveryServer server = start(dir); TestClient client = new TestClient(server.grpcPort())) {
            write(client, 0, 60);
            before = all(client);
        }
        List<Path> tables;
        try (Stream<Path> files = Files.walk(dir.resolve("snapshots"))) {
            tables = files.filter(p -> p.toString().endsWith(".sst")).toList();
        }
        assertThat(tables).isNotEmpty();
        for (Path t : tables) {
            byte[] b = Files.readAllBytes(t);
            for (int i = 0; i < b.length; i += 64) {
                b[i] ^= 0x5a;
            }
            Files.write(t, b);
        }
        try (DiscoveryServer server = start(dir); TestClient client = new TestClient(server.grpcPort())) {
            assertThat(all(client)).isEqualTo(before);
        }
    }
}
