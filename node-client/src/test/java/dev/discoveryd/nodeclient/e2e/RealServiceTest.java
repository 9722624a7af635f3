package dev.discoveryd.nodeclient.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.discoveryd.nodeclient.client.AffiliateListener;
import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.format.NodeId;
import dev.discoveryd.nodeclient.state.Backoff;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import dev.discoveryd.service.DiscoveryServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client against the project's real discovery service, embedded on 127.0.0.1. */
class RealServiceTest {
    private static final String CLUSTER = "real-service-" + NodeId.generate();
    private static final ClusterSecret SECRET = ClusterSecret.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

    @Test
    void twoClientsSeeEachOtherAndDeletesReachListeners() throws Exception {
        try (DiscoveryServer server = start(0)) {
            String idA = NodeId.generate();
            String idB = NodeId.generate();
            try (DiscoveryClient a = DiscoveryClient.create(options(server.grpcPort(), idA, Duration.ofMinutes(30)));
                 DiscoveryClient b = DiscoveryClient.create(options(server.grpcPort(), idB, Duration.ofMinutes(30)))) {
                Recorder seenByA = new Recorder();
                a.addListener(seenByA);
                a.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
                b.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
                a.setLocalAffiliate(info(idA, "real-a"), List.of(NodeEndpoint.parse("192.0.2.1:51820")));
                b.setLocalAffiliate(info(idB, "real-b"), List.of(NodeEndpoint.parse("[2001:db8::b]:51820")));

                await().atMost(10, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1 && b.affiliates().size() == 1);
                assertThat(a.affiliates().get(0).info()).isEqualTo(info(idB, "real-b"));
                assertThat(a.affiliates().get(0).endpoints()).extracting(Object::toString).containsExactly("[2001:db8::b]:51820");
                assertThat(b.affiliates().get(0).info()).isEqualTo(info(idA, "real-a"));
                assertThat(a.publicIp()).hasValueSatisfying(ip -> assertThat(IpText.format(ip)).isEqualTo("127.0.0.1"));

                b.deleteLocalAffiliate().toCompletableFuture().get(10, TimeUnit.SECONDS);
                await().atMost(10, TimeUnit.SECONDS).until(() -> seenByA.last().isEmpty());
            }
        }
    }

    @Test
    void restartMakesClientsReconnectAndRepublish() throws Exception {
        DiscoveryServer server = start(0);
        int port = server.grpcPort();
        String idA = NodeId.generate();
        String idB = NodeId.generate();
        try (DiscoveryClient a = DiscoveryClient.create(options(port, idA, Duration.ofMinutes(30)));
             DiscoveryClient b = DiscoveryClient.create(options(port, idB, Duration.ofMinutes(30)))) {
            a.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            b.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            a.setLocalAffiliate(info(idA, "before"), List.of());
            b.setLocalAffiliate(info(idB, "before"), List.of());
            await().atMost(10, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1);

            server.close();
            server = start(port); // in-memory: the new instance knows nothing until clients re-publish
            await().atMost(15, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1 && b.affiliates().size() == 1
                    && a.affiliates().get(0).id().equals(idB) && b.affiliates().get(0).id().equals(idA));
            b.setLocalAffiliate(info(idB, "after-restart"), List.of());
            // a.affiliates() is a snapshot that may be empty for a moment (a second reconnect replaces the view), so
            // the condition must not index into it.
            await().atMost(10, TimeUnit.SECONDS).until(() -> a.affiliates().stream()
                    .anyMatch(x -> x.id().equals(idB) && x.info().hostname().equals("after-restart")));
        } finally {
            server.close();
        }
    }

    @Test
    void expiryReachesListeners() throws Exception {
        try (DiscoveryServer server = start(0)) {
            String idA = NodeId.generate();
            String idB = NodeId.generate();
            try (DiscoveryClient a = DiscoveryClient.create(options(server.grpcPort(), idA, Duration.ofMinutes(30)))) {
                Recorder seenByA = new Recorder();
                a.addListener(seenByA);
                a.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
                DiscoveryClient b = DiscoveryClient.create(options(server.grpcPort(), idB, Duration.ofSeconds(2)));
                b.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
                b.setLocalAffiliate(info(idB, "short-lived"), List.of());
                await().atMost(10, TimeUnit.SECONDS).until(() -> seenByA.last().size() == 1);
                b.close(); // stops refreshing; the server expires it after its 2 s TTL
                long closedAt = System.nanoTime();
                await().atMost(10, TimeUnit.SECONDS).until(() -> seenByA.last().isEmpty());
                assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isGreaterThan(Duration.ofMillis(500));
            }
        }
    }

    private static DiscoveryServer start(int port) throws Exception {
        return DiscoveryServer.start("--addr=127.0.0.1:" + port, "--landing-addr=", "--metrics-addr=",
                "--gc-interval=500ms", "--in-memory");
    }

    private static DiscoveryClientOptions options(int port, String id, Duration ttl) {
        return new DiscoveryClientOptions()
                .addEndpoint("http://127.0.0.1:" + port)
                .setClusterId(CLUSTER)
                .setClusterSecret(SECRET)
                .setAffiliateId(id)
                .setTtl(ttl)
                .setHelloTimeout(Duration.ofSeconds(2))
                .setBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)));
    }

    private static AffiliateInfo info(String id, String hostname) {
        return new AffiliateInfo(id, hostname, hostname, "controlplane", "Talos (v1.11.0)",
                List.of(IpText.parse("192.0.2.1")), null, 6443);
    }

    private static final class Recorder implements AffiliateListener {
        private final List<List<DiscoveredAffiliate>> calls = new CopyOnWriteArrayList<>();

        @Override
        public void affiliatesChanged(List<DiscoveredAffiliate> affiliates) {
            calls.add(affiliates);
        }

        List<DiscoveredAffiliate> last() {
            return calls.isEmpty() ? List.of() : calls.get(calls.size() - 1);
        }
    }
}
