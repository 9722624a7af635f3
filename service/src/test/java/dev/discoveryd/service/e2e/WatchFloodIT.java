package dev.discoveryd.service.e2e;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.service.h2.RawH2;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.discoveryd.service.e2e.ProtocolEndToEndTest.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 item 1 against the real jar in a 256 MiB heap: 200 Watch streams of a full cluster (4.3 MB snapshots) from
 * one address, on connections that never grant a flow-control window, used to pin 860 MB and end in
 * OutOfMemoryError. Now the address's share is pinned, the rest are refused, and other clients are served.
 */
@Tag("slow")
class WatchFloodIT {

    @Test
    void twoHundredNonReadingWatchersOfAFullClusterDoNotExhaustTheHeap(@TempDir Path dataDir) throws Exception {
        try (JarProcess jar = JarProcess.startWithHeap("256m", "--data-dir=" + dataDir);
             TestClient client = new TestClient(jar.port)) {
            List<ByteString> endpoints = new ArrayList<>();
            for (int e = 0; e < 64; e++) {
                endpoints.add(ByteString.copyFrom(new byte[]{(byte) e, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}));
            }
            for (int i = 0; i < 1024; i++) {
                AffiliateUpdateRequest req = update("flood", "affiliate-" + i).setAffiliateData(ByteString.copyFrom(new byte[2048]))
                        .addAllAffiliateEndpoints(endpoints).build();
                assertThat(client.call(ClusterGrpcClient.AffiliateUpdate, req).status()).isEqualTo(GrpcStatus.OK);
            }
            List<RawH2> attackers = new ArrayList<>();
            List<RawH2.Stream> watches = new ArrayList<>();
            try {
                for (int c = 0; c < 40; c++) {
                    RawH2 h2 = RawH2.connect(InetAddress.getByName("127.0.0.2"), "127.0.0.1", jar.port, 0, false);
                    attackers.add(h2);
                    for (int s = 0; s < 5; s++) {
                        int id = h2.open(RawH2.grpcHeaders("Watch"), false);
                        h2.data(id, RawH2.grpcFrame(WatchRequest.newBuilder().setClusterId("flood").build().toByteArray()), true);
                        watches.add(h2.stream(id));
                    }
                }
                // The address's share (32 MiB: 7 snapshots) stays pinned; every other stream is refused at once.
                await().atMost(60, TimeUnit.SECONDS).until(() -> watches.stream().filter(w -> w.end.isDone()).count() >= 190);
                assertThat(watches.stream().filter(w -> Integer.valueOf(8).equals(w.grpcStatus())).count()).isGreaterThanOrEqualTo(190);

                for (int i = 0; i < 20; i++) {
                    HelloRequest hello = HelloRequest.newBuilder().setClusterId("flood").setClientVersion("v1.9").build();
                    assertThat(client.call(ClusterGrpcClient.Hello, hello).status()).isEqualTo(GrpcStatus.OK);
                }
                // A reader elsewhere gets the whole 4.3 MB snapshot (raw frames: the Vert.x client stops at 256 KiB).
                RawH2 reader = RawH2.connect(InetAddress.getByName("127.0.0.3"), "127.0.0.1", jar.port, -1, true);
                attackers.add(reader);
                int id = reader.open(RawH2.grpcHeaders("Watch"), false);
                reader.data(id, RawH2.grpcFrame(WatchRequest.newBuilder().setClusterId("flood").build().toByteArray()), true);
                await().atMost(30, TimeUnit.SECONDS).until(() -> !reader.stream(id).messages().isEmpty());
                assertThat(WatchResponse.parseFrom(reader.stream(id).messages().get(0)).getAffiliatesCount()).isEqualTo(1024);
                assertThat(jar.process.isAlive()).isTrue();
                assertThat(jar.output.toString()).doesNotContain("OutOfMemoryError");
            } finally {
                for (RawH2 h2 : attackers) {
                    h2.close();
                }
            }
        }
    }
}
