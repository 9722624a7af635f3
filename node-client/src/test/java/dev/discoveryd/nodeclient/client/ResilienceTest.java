package dev.discoveryd.nodeclient.client;

import static dev.discoveryd.nodeclient.client.ClientHarness.CLUSTER_ID;
import static dev.discoveryd.nodeclient.client.ClientHarness.info;
import static dev.discoveryd.nodeclient.client.ClientHarness.newId;
import static dev.discoveryd.nodeclient.client.ClientHarness.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.nodeclient.fake.FakeDiscoveryServer;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Server restarts, aborted watches, refused hellos and hostile data. */
class ResilienceTest {
    @Test
    void serverRestartMakesClientsReconnectAndRepublish() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext()) {
            String idA = newId();
            String idB = newId();
            try (DiscoveryClient a = DiscoveryClient.create(options(idA, server.url()));
                 DiscoveryClient b = DiscoveryClient.create(options(idB, server.url()))) {
                ClientHarness.Recorder recorder = new ClientHarness.Recorder();
                a.addListener(recorder);
                a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                b.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                a.setLocalAffiliate(info(idA, "a"), List.of());
                b.setLocalAffiliate(info(idB, "b"), List.of());
                await().atMost(5, TimeUnit.SECONDS).until(() -> server.affiliates(CLUSTER_ID).size() == 2);
                int hellosBefore = server.hellos();

                server.stop();
                assertThat(server.affiliates(CLUSTER_ID)).isEmpty();
                server.start();

                await().atMost(10, TimeUnit.SECONDS).until(() -> server.affiliates(CLUSTER_ID).size() == 2);
                assertThat(server.hellos()).isGreaterThanOrEqualTo(hellosBefore + 2);
                await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.lastIds().equals(List.of(idB)));
                assertThat(a.affiliates().get(0).info().hostname()).isEqualTo("b");
            }
        }
    }

    @Test
    void connectionListenerHearsConnectAndOneFailurePerOutage() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext()) {
            String id = newId();
            List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (DiscoveryClient a = DiscoveryClient.create(options(id, server.url()))) {
                a.addConnectionListener(new ConnectionListener() {
                    @Override
                    public void connected(dev.discoveryd.nodeclient.state.ServerAddress s, java.net.InetAddress ip) {
                        heard.add("connected " + ip.getHostAddress());
                    }

                    @Override
                    public void failed(dev.discoveryd.nodeclient.state.ServerAddress s, String reason) {
                        heard.add("failed");
                    }
                });
                a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(heard).containsExactly("connected 127.0.0.1");
                server.stop();
                await().atMost(5, TimeUnit.SECONDS).until(() -> heard.contains("failed"));
                try (DroppingListener down = new DroppingListener(server.port())) {
                    // several retries, each seen by the listener standing on the dead port: still one failure
                    await().atMost(10, TimeUnit.SECONDS).until(() -> down.attempts() >= 3);
                    assertThat(heard).containsExactly("connected 127.0.0.1", "failed");
                }
                server.start();
                await().atMost(10, TimeUnit.SECONDS).until(() -> heard.size() == 3);
                assertThat(heard.get(2)).isEqualTo("connected 127.0.0.1");
            }
        }
    }

    @Test
    void clientKeepsRetryingWhileTheServerIsDown() throws Exception {
        FakeDiscoveryServer server = FakeDiscoveryServer.plaintext();
        try (server) {
            server.stop();
            String id = newId();
            try (DiscoveryClient a = DiscoveryClient.create(options(id, server.url()))) {
                a.setLocalAffiliate(info(id, "late"), List.of());
                try (DroppingListener down = new DroppingListener(server.port())) {
                    var started = a.start().toCompletableFuture();
                    await().atMost(10, TimeUnit.SECONDS).until(() -> down.attempts() >= 3); // several backoff rounds
                    assertThat(started).isNotDone();
                    down.close();
                    server.start();
                    started.get(5, TimeUnit.SECONDS);
                }
                await().atMost(5, TimeUnit.SECONDS).until(() -> server.affiliates(CLUSTER_ID).size() == 1);
            }
        }
    }

    @Test
    void abortedWatchIsOpenedAgain() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext()) {
            String idB = newId();
            try (DiscoveryClient a = DiscoveryClient.create(options(newId(), server.url()));
                 DiscoveryClient b = DiscoveryClient.create(options(idB, server.url()))) {
                a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                b.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                int hellos = server.hellos();
                server.abortWatchers();
                await().atMost(5, TimeUnit.SECONDS).until(() -> server.watchers() == 2);
                assertThat(server.hellos()).as("re-watch reuses the session, no new Hello").isEqualTo(hellos);
                b.setLocalAffiliate(info(idB, "after-abort"), List.of());
                await().atMost(5, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1);
            }
        }
    }

    @Test
    void refusedHelloIsRetriedWithBackoff() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext()) {
            server.failHellosWith(GrpcStatus.UNAVAILABLE);
            try (DiscoveryClient a = DiscoveryClient.create(options(newId(), server.url()))) {
                var started = a.start().toCompletableFuture();
                await().atMost(5, TimeUnit.SECONDS).until(() -> server.hellos() >= 3);
                assertThat(started).isNotDone();
                server.failHellosWith(null);
                started.get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void garbageFromTheServerIsSkippedAndCounted() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext()) {
            String idB = newId();
            try (DiscoveryClient a = DiscoveryClient.create(options(newId(), server.url()));
                 DiscoveryClient b = DiscoveryClient.create(options(idB, server.url()))) {
                ClientHarness.Recorder recorder = new ClientHarness.Recorder();
                a.addListener(recorder);
                a.addListener(list -> {
                    throw new IllegalStateException("a broken listener must not hurt the client");
                });
                a.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                b.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
                b.setLocalAffiliate(info(idB, "good"), List.of(NodeEndpoint.parse("10.0.0.2:51820")));
                await().atMost(5, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1);

                server.inject(CLUSTER_ID, WatchResponse.newBuilder()
                        .addAffiliates(Affiliate.newBuilder().setId("junk-1").setData(ByteString.copyFromUtf8("plaintext, not sealed")))
                        .addAffiliates(Affiliate.newBuilder().setId("junk-2").setData(ByteString.copyFrom(new byte[5])))
                        .addAffiliates(Affiliate.newBuilder().setId("junk-3").setData(ByteString.copyFrom(new byte[300]))
                                .addEndpoints(ByteString.copyFrom(new byte[7])))
                        .addAffiliates(Affiliate.newBuilder().setId(""))
                        .build());
                server.inject(CLUSTER_ID, WatchResponse.newBuilder().setDeleted(true)
                        .addAffiliates(Affiliate.newBuilder().setId("never-existed")).build());
                await().atMost(5, TimeUnit.SECONDS).until(() -> a.rejectedBlobs() >= 3);

                b.setLocalAffiliate(info(idB, "still-works"), List.of());
                await().atMost(5, TimeUnit.SECONDS).until(() -> a.affiliates().size() == 1
                        && a.affiliates().get(0).info().hostname().equals("still-works"));
                assertThat(recorder.lastIds()).containsExactly(idB);
            }
        }
    }

    /**
     * Stands on a stopped server's port and drops every connection at once, counting them, so a test can wait for
     * the client's retries instead of sleeping through them.
     */
    private static final class DroppingListener implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket();
        private final AtomicInteger attempts = new AtomicInteger();
        private final Thread acceptor;

        DroppingListener(int port) throws IOException {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            acceptor = new Thread(() -> {
                while (true) {
                    try (Socket dropped = socket.accept()) {
                        attempts.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "dropping-listener");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int attempts() {
            return attempts.get();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(5_000);
        }
    }
}
