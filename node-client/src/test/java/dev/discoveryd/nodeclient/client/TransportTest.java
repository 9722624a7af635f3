package dev.discoveryd.nodeclient.client;

import static dev.discoveryd.nodeclient.client.ClientHarness.CLUSTER_ID;
import static dev.discoveryd.nodeclient.client.ClientHarness.info;
import static dev.discoveryd.nodeclient.client.ClientHarness.newId;
import static dev.discoveryd.nodeclient.client.ClientHarness.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.discoveryd.nodeclient.fake.FakeDiscoveryServer;
import dev.discoveryd.nodeclient.fake.TestCertificate;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redirects, TLS and several servers at once. */
class TransportTest {
    @TempDir
    static Path dir;

    private static TestCertificate cert;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = TestCertificate.create(dir);
    }

    @Test
    void helloRedirectIsFollowed() throws Exception {
        try (FakeDiscoveryServer first = FakeDiscoveryServer.plaintext();
             FakeDiscoveryServer second = FakeDiscoveryServer.plaintext()) {
            first.redirectTo("127.0.0.1:" + second.port());
            String id = newId();
            try (DiscoveryClient a = DiscoveryClient.create(options(id, first.url()))) {
                a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                a.setLocalAffiliate(info(id, "redirected"), List.of());
                await().atMost(5, TimeUnit.SECONDS).until(() -> second.affiliates(CLUSTER_ID).size() == 1);
                assertThat(first.hellos()).isEqualTo(1);
                assertThat(second.hellos()).isEqualTo(1);
                assertThat(first.affiliates(CLUSTER_ID)).isEmpty();
                assertThat(first.watchers()).isZero();
            }
        }
    }

    @Test
    void tlsWithTrustedCertificate() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.tls(cert.serverOptions())) {
            String idA = newId();
            String idB = newId();
            try (DiscoveryClient a = DiscoveryClient.create(options(idA, server.url()).setCaCertificatePath(cert.pem().toString()));
                 DiscoveryClient b = DiscoveryClient.create(options(idB, "127.0.0.1:" + server.port()).setTrustAll(true))) {
                a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                b.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                b.setLocalAffiliate(info(idB, "over-tls"), List.of(NodeEndpoint.parse("10.9.9.9:51820")));
                await().atMost(5, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1);
                assertThat(a.affiliates().get(0).info().hostname()).isEqualTo("over-tls");
            }
        }
    }

    @Test
    void tlsRejectsAnUntrustedCertificate() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.tls(cert.serverOptions());
             DiscoveryClient a = DiscoveryClient.create(options(newId(), server.url()))) {
            List<String> failures = failures(a);
            var started = a.start().toCompletableFuture();
            // An attempt was made and failed (reported once per outage; the client goes on retrying).
            await().atMost(30, TimeUnit.SECONDS).until(() -> !failures.isEmpty());
            assertThat(started).isNotDone();
            assertThat(server.hellos()).isZero();
        }
    }

    @Test
    void plaintextClientCannotTalkToTlsServer() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.tls(cert.serverOptions());
             DiscoveryClient a = DiscoveryClient.create(options(newId(), "http://127.0.0.1:" + server.port()))) {
            List<String> failures = failures(a);
            var started = a.start().toCompletableFuture();
            // An attempt was made and failed (reported once per outage; the client goes on retrying).
            await().atMost(30, TimeUnit.SECONDS).until(() -> !failures.isEmpty());
            assertThat(started).isNotDone();
            assertThat(server.hellos()).isZero();
        }
    }

    @Test
    void severalServersAreMergedByNodeId() throws Exception {
        try (FakeDiscoveryServer one = FakeDiscoveryServer.plaintext();
             FakeDiscoveryServer two = FakeDiscoveryServer.plaintext()) {
            String idA = newId();
            String idB = newId();
            String idC = newId();
            try (DiscoveryClient a = DiscoveryClient.create(options(idA, one.url(), two.url()));
                 DiscoveryClient b = DiscoveryClient.create(options(idB, one.url()));
                 DiscoveryClient c = DiscoveryClient.create(options(idC, two.url()))) {
                for (DiscoveryClient client : List.of(a, b, c)) {
                    client.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                }
                a.setLocalAffiliate(info(idA, "a"), List.of());
                b.setLocalAffiliate(info(idB, "b"), List.of(NodeEndpoint.parse("10.0.0.2:51820")));
                c.setLocalAffiliate(info(idC, "c"), List.of());
                // c also reports an endpoint it observed for b, through the other server.
                c.setObservedEndpoints(java.util.Map.of(idB, List.of(NodeEndpoint.parse("203.0.113.2:51820"))));
                await().atMost(5, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 2
                        && a.affiliates().stream().anyMatch(x -> x.id().equals(idB) && x.endpoints().size() == 2));
                var merged = a.affiliates().stream().filter(x -> x.id().equals(idB)).findFirst().orElseThrow();
                assertThat(merged.info().hostname()).isEqualTo("b");
                assertThat(merged.endpoints()).extracting(Object::toString)
                        .containsExactlyInAnyOrder("10.0.0.2:51820", "203.0.113.2:51820");
                assertThat(one.affiliates(CLUSTER_ID)).extracting(x -> x.getId()).contains(idA);
                assertThat(two.affiliates(CLUSTER_ID)).extracting(x -> x.getId()).contains(idA);
            }
        }
    }

    /** The failures {@code client}'s connection listener hears. */
    private static List<String> failures(DiscoveryClient client) {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(dev.discoveryd.nodeclient.state.ServerAddress server, java.net.InetAddress ip) {
                heard.add("connected?");
            }

            @Override
            public void failed(dev.discoveryd.nodeclient.state.ServerAddress server, String reason) {
                heard.add(reason);
            }
        });
        return heard;
    }
}
