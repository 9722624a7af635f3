package dev.discoveryd.nodeclient.client;

import static dev.discoveryd.nodeclient.client.ClientHarness.CLUSTER_ID;
import static dev.discoveryd.nodeclient.client.ClientHarness.info;
import static dev.discoveryd.nodeclient.client.ClientHarness.newId;
import static dev.discoveryd.nodeclient.client.ClientHarness.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.discoveryd.nodeclient.fake.FakeDiscoveryServer;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscoveryClientTest {
    private FakeDiscoveryServer server;

    @BeforeEach
    void startServer() {
        server = FakeDiscoveryServer.plaintext();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void twoClientsSeeEachOthersDecodedData() throws Exception {
        String idA = newId();
        String idB = newId();
        try (DiscoveryClient a = DiscoveryClient.create(options(idA, server.url()));
             DiscoveryClient b = DiscoveryClient.create(options(idB, server.url()))) {
            ClientHarness.Recorder seenByA = new ClientHarness.Recorder();
            a.addListener(seenByA);
            a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
            b.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
            a.setLocalAffiliate(info(idA, "node-a"), List.of(NodeEndpoint.parse("172.20.0.5:51820")));
            b.setLocalAffiliate(info(idB, "node-b"), List.of(NodeEndpoint.parse("[2001:db8::1]:51820")));

            await().atMost(5, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1 && b.affiliates().size() == 1);
            DiscoveredAffiliate bFromA = a.affiliates().get(0);
            assertThat(bFromA.id()).isEqualTo(idB);
            assertThat(bFromA.info()).isEqualTo(info(idB, "node-b"));
            assertThat(bFromA.endpoints()).extracting(Object::toString).containsExactly("[2001:db8::1]:51820");
            assertThat(b.affiliates().get(0).info()).isEqualTo(info(idA, "node-a"));
            assertThat(seenByA.lastIds()).containsExactly(idB);
            assertThat(a.publicIp()).hasValueSatisfying(ip -> assertThat(ip.getHostAddress()).isEqualTo("127.0.0.1"));
            assertThat(a.rejectedBlobs()).isZero();
        }
    }

    @Test
    void localChangesArePublishedAtOnceAndObservedEndpointsWithoutData() throws Exception {
        String idA = newId();
        String peer = newId();
        try (DiscoveryClient a = DiscoveryClient.create(options(idA, server.url()))) {
            a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
            a.setLocalAffiliate(info(idA, "first"), List.of());
            a.setLocalAffiliate(info(idA, "second"), List.of());
            a.setObservedEndpoints(Map.of(peer, List.of(NodeEndpoint.parse("198.51.100.1:51820"))));
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.affiliates(CLUSTER_ID).size() == 2);
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.updates().stream()
                    .anyMatch(u -> u.getAffiliateId().equals(peer) && !u.hasAffiliateData()));
            var published = server.affiliates(CLUSTER_ID).stream().filter(x -> x.getId().equals(idA)).findFirst().orElseThrow();
            assertThat(new dev.discoveryd.nodeclient.format.ClusterSealer(ClientHarness.SECRET)
                    .openAffiliate(published.getData().toByteArray()).hostname()).isEqualTo("second");
            assertThat(server.updates()).allSatisfy(u -> assertThat(u.getTtl().getSeconds()).isEqualTo(1800));
            // The peer's endpoints arrive through the watch as an affiliate without data.
            await().atMost(5, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1);
            assertThat(a.affiliates().get(0).infoIfKnown()).isEmpty();
        }
    }

    @Test
    void deletesAndExpiriesReachListeners() throws Exception {
        String idA = newId();
        String idB = newId();
        String idC = newId();
        try (DiscoveryClient a = DiscoveryClient.create(options(idA, server.url()));
             // b refreshes every 200 ms while it has a local affiliate, so a refresh after its delete would show
             DiscoveryClient b = DiscoveryClient.create(options(idB, server.url()).setTtl(Duration.ofMillis(400)));
             DiscoveryClient c = DiscoveryClient.create(options(idC, server.url()))) {
            ClientHarness.Recorder recorder = new ClientHarness.Recorder();
            a.addListener(recorder);
            for (DiscoveryClient client : List.of(a, b, c)) {
                client.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            b.setLocalAffiliate(info(idB, "b"), List.of());
            c.setLocalAffiliate(info(idC, "c"), List.of());
            await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.lastIds().size() == 2);

            b.deleteLocalAffiliate().toCompletableFuture().get(5, TimeUnit.SECONDS);
            int updatesAtDelete = server.updates().size();
            await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.lastIds().equals(List.of(idC)));

            c.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
            server.expire(CLUSTER_ID, idC);
            await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.last().isEmpty());
            // b stays deleted: deletion also stops its refreshes. A pacer with b's TTL refreshes three times, in which
            // b would have refreshed at least twice had it kept going.
            String idP = newId();
            try (DiscoveryClient pacer = DiscoveryClient.create(options(idP, server.url()).setTtl(Duration.ofMillis(400)))) {
                pacer.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                pacer.setLocalAffiliate(info(idP, "pacer"), List.of());
                await().atMost(10, TimeUnit.SECONDS).until(() -> server.updates().stream()
                        .filter(u -> u.getAffiliateId().equals(idP)).count() >= 4);
            }
            List<String> sinceDelete = server.updates().subList(updatesAtDelete, server.updates().size()).stream()
                    .map(u -> u.getAffiliateId()).toList();
            assertThat(sinceDelete).doesNotContain(idB);
            assertThat(server.affiliates(CLUSTER_ID)).extracting(x -> x.getId()).doesNotContain(idB);
        }
    }

    @Test
    void localAffiliateIsRefreshedAtHalfTheTtl() throws Exception {
        String id = newId();
        try (DiscoveryClient a = DiscoveryClient.create(options(id, server.url()).setTtl(Duration.ofMillis(600)))) {
            a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
            a.setLocalAffiliate(info(id, "refreshing"), List.of());
            long started = System.nanoTime();
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.updates().size() >= 4);
            // 1 immediate publish + 3 refreshes 300 ms apart take at least ~900 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(800));
            assertThat(server.updates()).allSatisfy(u -> {
                assertThat(u.getAffiliateId()).isEqualTo(id);
                assertThat(u.getTtl().getNanos()).isEqualTo(600_000_000);
            });
        }
    }

    @Test
    void keepalivePingsFlowOnTheConnection() throws Exception {
        try (DiscoveryClient a = DiscoveryClient.create(options(newId(), server.url())
                .setKeepaliveInterval(Duration.ofMillis(100)))) {
            a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.pings() >= 3);
        }
    }

    @Test
    void keepaliveDefaultsFollowTtl() {
        assertThat(options("x", server.url()).keepaliveInterval()).isEqualTo(Duration.ofMinutes(3));
        assertThat(options("x", server.url()).setTtl(Duration.ofSeconds(30)).keepaliveInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options("x", server.url()).refreshInterval()).isEqualTo(Duration.ofMinutes(15));
    }
}
