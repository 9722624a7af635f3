package dev.discoveryd.service.e2e;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real jar, killed with SIGKILL in the middle of a stream of updates, then restarted on the same data directory:
 * every update that was acknowledged is there, with its data. Repeated over many kill points and every sync mode.
 */
class CrashRecoveryIT {
    private static final String[] SYNC = {"never", "periodic", "always"};
    private static final int CLUSTERS = 10;

    @Test
    void killMinusNineLosesNothingAcknowledged(@TempDir Path dataDir) throws Exception {
        Random random = new Random(42);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        int rounds = 6;
        for (int round = 0; round < rounds; round++) {
            String sync = SYNC[round % SYNC.length];
            try (JarProcess service = JarProcess.start("--data-dir=" + dataDir, "--log-sync=" + sync, "--snapshot-interval=200ms");
                 TestClient client = new TestClient(service.port)) {
                assertAllPresent(client, acknowledged, "after restart before round " + round);
                int before = acknowledged.size();
                AtomicBoolean stop = new AtomicBoolean();
                Thread[] writers = new Thread[4];
                for (int w = 0; w < writers.length; w++) {
                    String prefix = "r" + round + "w" + w + "-";
                    writers[w] = new Thread(() -> {
                        for (int n = 0; !stop.get() && n < 2000; n++) {
                            String cluster = "crash-" + (n % CLUSTERS);
                            AffiliateUpdateRequest req = AffiliateUpdateRequest.newBuilder()
                                    .setClusterId(cluster).setAffiliateId(prefix + n)
                                    .setAffiliateData(ByteString.copyFromUtf8("data of " + prefix + n))
                                    .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build();
                            try {
                                if (client.call(ClusterGrpcClient.AffiliateUpdate, req).status() == GrpcStatus.OK) {
                                    acknowledged.add(cluster + "/" + prefix + n);
                                }
                            } catch (AssertionError killed) {
                                return; // the connection died with the process: not acknowledged
                            }
                        }
                    });
                    writers[w].start();
                }
                Thread.sleep(300 + random.nextInt(700));
                service.kill();
                stop.set(true);
                for (Thread t : writers) {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                }
                assertThat(acknowledged.size()).as("round %d (%s) acknowledged something before the kill", round, sync)
                        .isGreaterThan(before);
            }
        }
        try (JarProcess service = JarProcess.start("--data-dir=" + dataDir);
             TestClient client = new TestClient(service.port)) {
            assertAllPresent(client, acknowledged, "after the last kill");
            assertThat(service.terminate()).as("SIGTERM exits 0").isZero();
        }
    }

    private static void assertAllPresent(TestClient client, Set<String> expected, String when) {
        Set<String> present = new HashSet<>();
        for (int c = 0; c < CLUSTERS; c++) {
            String cluster = "crash-" + c;
            ListResponse list = client.call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId(cluster).build()).reply();
            list.getAffiliatesList().forEach(a -> present.add(cluster + "/" + a.getId()));
        }
        assertThat(present).as(when).containsAll(expected);
    }
}
