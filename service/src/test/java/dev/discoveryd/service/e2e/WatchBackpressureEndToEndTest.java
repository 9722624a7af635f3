package dev.discoveryd.service.e2e;

import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.concurrent.TimeUnit;

import static dev.discoveryd.service.e2e.ProtocolEndToEndTest.bytes;
import static dev.discoveryd.service.e2e.ProtocolEndToEndTest.update;
import static org.assertj.core.api.Assertions.assertThat;

/** A watcher that stops reading is ended with ABORTED; a watcher that keeps up gets everything, undelayed. */
class WatchBackpressureEndToEndTest {

    @Test
    void slowWatcherIsAbortedWithoutSlowingTheFastOne(@TempDir Path dataDir) throws Exception {
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--data-dir=" + dataDir, "--ip-rate-limit=0");
             TestClient slowClient = new TestClient(server.grpcPort());
             // The slow client has HTTP/2's default 64 KiB window and stops reading; the fast one reads with a window
             // like the one grpc-go grows to. With 64 KiB, a reader whose event loop got no CPU for the time of
             // about 60 updates (a 2-core CI machine) was aborted too, where a grpc-go client with its grown window is not.
             TestClient fastClient = new TestClient(server.grpcPort(), 4 << 20);
             TestClient writer = new TestClient(server.grpcPort())) {
            TestClient.Watch slow = slowClient.watch("c");
            slow.next();
            slow.response.pause();
            TestClient.Watch fast = fastClient.watch("c");
            fast.next();

            int updates = 400;
            for (int i = 0; i < updates; i++) {
                AffiliateUpdateRequest req = update("c", "a" + (i % 50)).setAffiliateData(bytes(2000, i)).build();
                assertThat(writer.call(ClusterGrpcClient.AffiliateUpdate, req).status()).isEqualTo(GrpcStatus.OK);
            }
            for (int i = 0; i < updates; i++) {
                WatchResponse m = fast.next();
                assertThat(m.getAffiliates(0).getData().byteAt(0)).isEqualTo((byte) i);
            }

            slow.response.resume();
            GrpcStatus status = slow.status.get(10, TimeUnit.SECONDS);
            assertThat(status).isEqualTo(GrpcStatus.ABORTED);
            assertThat(slow.messages.size()).as("the slow watcher fell behind and lost updates").isLessThan(updates);
            assertThat(fast.status).isNotDone();
        }
    }
}
