package dev.discoveryd.service.e2e;

import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.discoveryd.service.e2e.ProtocolEndToEndTest.bytes;
import static dev.discoveryd.service.e2e.ProtocolEndToEndTest.update;
import static org.assertj.core.api.Assertions.assertThat;

/** Stop and start on the same data directory: the state comes back from snapshot + log tail, or from the log alone. */
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
    void snapshotPlusTailRestoresTheState(@TempDir Path dir) throws Exception {
        List<ListResponse> before;
        try (DiscoveryServer server = start(dir); TestClient client = new TestClient(server.grpcPort())) {
            write(client, 0, 100);
            Thread.sleep(400); // at least one periodic snapshot
            write(client, 100, 130);
            for (int i = 0; i < 10; i++) {
                client.call(ClusterGrpcClient.AffiliateDelete, AffiliateDeleteRequest.newBuilder()
                        .setClusterId("c" + (i % CLUSTERS)).setAffiliateId("a" + i).build());
            }
            before = all(client);
        }
        assertThat(Files.isDirectory(dir.resolve("snapshots"))).isTrue();
        try (DiscoveryServer server = start(dir); TestClient client = new TestClient(server.grpcPort())) {
            assertThat(all(client)).isEqualTo(before);
            write(client, 130, 140);
            before = all(client);
        }
        try (DiscoveryServer server = start(dir); TestClient client = new TestClient(server.grpcPort())) {
            assertThat(all(client)).isEqualTo(before);
        }
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
