package dev.discoveryd.service.e2e;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real service on port 0, a real gRPC client: the semantics of every RPC. */
class ProtocolEndToEndTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private DiscoveryServer server;
    private TestClient client;

    @TempDir
    Path dataDir;

    @BeforeEach
    void start() throws Exception {
        server = DiscoveryServer.start(clock, "--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--gc-interval=50ms", "--event-loops=2", "--data-dir=" + dataDir, "--ip-rate-limit=0");
        client = new TestClient(server.grpcPort());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    static AffiliateUpdateRequest.Builder update(String cluster, String affiliate) {
        return AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate)
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60));
    }

    static ByteString bytes(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return ByteString.copyFrom(b);
    }

    GrpcStatus send(AffiliateUpdateRequest.Builder req) {
        return client.call(ClusterGrpcClient.AffiliateUpdate, req.build()).status();
    }

    ListResponse list(String cluster) {
        TestClient.Result<ListResponse> r = client.call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId(cluster).build());
        assertThat(r.status()).isEqualTo(GrpcStatus.OK);
        return r.reply();
    }

    @Test
    void helloReportsThePeerAddressAndNoRedirect() {
        HelloResponse r = client.call(ClusterGrpcClient.Hello,
                HelloRequest.newBuilder().setClusterId("c").setClientVersion("v1.11.0").build()).reply();
        assertThat(r.getClientIp().toByteArray()).containsExactly(127, 0, 0, 1);
        assertThat(r.hasRedirect()).isFalse();
    }

    @Test
    void helloPrefersXRealIpThenFirstXForwardedFor() {
        HelloRequest hello = HelloRequest.newBuilder().setClusterId("c").build();
        HelloResponse real = client.call(ClusterGrpcClient.Hello, hello,
                Map.of("x-real-ip", "203.0.113.7", "x-forwarded-for", "198.51.100.1")).reply();
        assertThat(real.getClientIp().toByteArray()).containsExactly(203, 0, 113, 7);
        HelloResponse forwarded = client.call(ClusterGrpcClient.Hello, hello,
                Map.of("x-forwarded-for", "2001:db8::1, 198.51.100.1")).reply();
        assertThat(forwarded.getClientIp().size()).isEqualTo(16);
        assertThat(forwarded.getClientIp().byteAt(0)).isEqualTo((byte) 0x20);
        HelloResponse garbage = client.call(ClusterGrpcClient.Hello, hello, Map.of("x-real-ip", "not-an-ip")).reply();
        assertThat(garbage.getClientIp().toByteArray()).containsExactly(127, 0, 0, 1);
    }

    @Test
    void helloValidatesTheClusterId() {
        assertThat(client.call(ClusterGrpcClient.Hello, HelloRequest.newBuilder().build()).status())
                .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    }

    @Test
    void limitsAtAndJustOverEachBoundary() {
        String c256 = "c".repeat(256);
        String a256 = "a".repeat(256);
        assertThat(send(update(c256, "a"))).isEqualTo(GrpcStatus.OK);
        assertThat(send(update(c256 + "x", "a"))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(send(update("", "a"))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(send(update("c", a256))).isEqualTo(GrpcStatus.OK);
        assertThat(send(update("c", a256 + "x"))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(send(update("c", ""))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(send(update("c", "d").setAffiliateData(bytes(2048, 1)))).isEqualTo(GrpcStatus.OK);
        assertThat(send(update("c", "d").setAffiliateData(bytes(2049, 1)))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(send(update("c", "e").addAffiliateEndpoints(bytes(32, 1)))).isEqualTo(GrpcStatus.OK);
        assertThat(send(update("c", "e").addAffiliateEndpoints(bytes(33, 1)))).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        assertThat(send(update("c", "f").setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800))))
                .isEqualTo(GrpcStatus.OK);
        assertThat(send(update("c", "f").setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800).setNanos(1))))
                .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
        // Rejected requests left no trace: e still has its one endpoint, d its 2048 bytes.
        ListResponse l = list("c");
        assertThat(l.getAffiliatesList()).extracting(a -> a.getId()).containsExactly(a256, "d", "e", "f");
        assertThat(l.getAffiliates(1).getData().size()).isEqualTo(2048);
        assertThat(l.getAffiliates(2).getEndpointsCount()).isEqualTo(1);
    }

    @Test
    void sixtyFourEndpointsAfterMergeThenResourceExhausted() {
        AffiliateUpdateRequest.Builder first = update("c", "a");
        for (int i = 0; i < 60; i++) {
            first.addAffiliateEndpoints(bytes(16, i));
        }
        assertThat(send(first)).isEqualTo(GrpcStatus.OK);
        AffiliateUpdateRequest.Builder second = update("c", "a");
        for (int i = 56; i < 64; i++) { // 4 known + 4 new = 64
            second.addAffiliateEndpoints(bytes(16, i));
        }
        assertThat(send(second)).isEqualTo(GrpcStatus.OK);
        assertThat(send(update("c", "a").addAffiliateEndpoints(bytes(16, 63)))).isEqualTo(GrpcStatus.OK);
        assertThat(send(update("c", "a").addAffiliateEndpoints(bytes(16, 64)))).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        assertThat(list("c").getAffiliates(0).getEndpointsCount()).isEqualTo(64);
    }

    @Test
    void affiliatesPerClusterLimit() {
        for (int i = 0; i < 1024; i++) {
            assertThat(send(update("big", "a" + i))).isEqualTo(GrpcStatus.OK);
        }
        assertThat(send(update("big", "one-too-many"))).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        assertThat(send(update("big", "a7").setAffiliateData(bytes(8, 7)))).isEqualTo(GrpcStatus.OK);
        assertThat(send(update("other", "a0"))).isEqualTo(GrpcStatus.OK);
        assertThat(list("big").getAffiliatesCount()).isEqualTo(1024);
    }

    @Test
    void mergeKeepsOrderDedupesAndEmptyDataKeepsData() {
        ByteString a = bytes(16, 0xa), b = bytes(16, 0xb), c = bytes(16, 0xc);
        send(update("c", "x").setAffiliateData(bytes(4, 1)).addAffiliateEndpoints(a).addAffiliateEndpoints(b));
        send(update("c", "x").setAffiliateData(ByteString.EMPTY).addAffiliateEndpoints(b).addAffiliateEndpoints(c)
                .addAffiliateEndpoints(c));
        var x = list("c").getAffiliates(0);
        assertThat(x.getEndpointsList()).containsExactly(a, b, c);
        assertThat(x.getData()).isEqualTo(bytes(4, 1));
        send(update("c", "x").setAffiliateData(bytes(3, 2)));
        assertThat(list("c").getAffiliates(0).getData()).isEqualTo(bytes(3, 2));
    }

    @Test
    void ttlExtensionNeverShortensAndExpiryNotifiesWatchers() throws Exception {
        ByteString a = bytes(16, 0xa), b = bytes(16, 0xb);
        send(update("c", "x").addAffiliateEndpoints(a).addAffiliateEndpoints(b)
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600)));
        // A shorter TTL later must not shorten anything.
        send(update("c", "x").addAffiliateEndpoints(a).setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(10)));
        // Endpoint b gets a longer life than a; the affiliate's own expiration goes to 1200 s.
        send(update("c", "x").addAffiliateEndpoints(b).setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1200)));
        TestClient.Watch w = client.watch("c");
        w.opened.get();
        assertThat(w.next().getAffiliatesCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(300));
        assertThat(w.nextOrNull(300)).as("nothing expires at 300 s").isNull();

        clock.advance(Duration.ofSeconds(301)); // 601 s: endpoint a expired, b and the affiliate live on
        WatchResponse trimmed = w.next();
        assertThat(trimmed.getDeleted()).isFalse();
        assertThat(trimmed.getAffiliates(0).getEndpointsList()).containsExactly(b);

        clock.advance(Duration.ofSeconds(600)); // 1201 s: the affiliate expires
        WatchResponse gone = w.next();
        assertThat(gone.getDeleted()).isTrue();
        assertThat(gone.getAffiliates(0).getId()).isEqualTo("x");
        assertThat(gone.getAffiliates(0).getData().isEmpty()).isTrue();
        assertThat(list("c").getAffiliatesCount()).isZero();
    }

    @Test
    void watchSendsSnapshotFirstThenChangesAndDeletes() throws Exception {
        TestClient.Watch empty = client.watch("c");
        WatchResponse first = empty.next();
        assertThat(first.getAffiliatesCount()).isZero();
        assertThat(first.getDeleted()).isFalse();

        send(update("c", "a").setAffiliateData(bytes(5, 5)));
        send(update("c", "b"));
        WatchResponse upA = empty.next();
        assertThat(upA.getAffiliates(0).getId()).isEqualTo("a");
        assertThat(upA.getAffiliates(0).getData()).isEqualTo(bytes(5, 5));
        assertThat(empty.next().getAffiliates(0).getId()).isEqualTo("b");

        TestClient.Watch late = client.watch("c");
        assertThat(late.next().getAffiliatesList()).extracting(a -> a.getId()).containsExactlyInAnyOrder("a", "b");

        assertThat(client.call(ClusterGrpcClient.AffiliateDelete,
                AffiliateDeleteRequest.newBuilder().setClusterId("c").setAffiliateId("a").build()).status())
                .isEqualTo(GrpcStatus.OK);
        for (TestClient.Watch w : List.of(empty, late)) {
            WatchResponse del = w.next();
            assertThat(del.getDeleted()).isTrue();
            assertThat(del.getAffiliates(0).getId()).isEqualTo("a");
        }
        assertThat(client.call(ClusterGrpcClient.AffiliateDelete,
                AffiliateDeleteRequest.newBuilder().setClusterId("c").setAffiliateId("unknown").build()).status())
                .isEqualTo(GrpcStatus.OK);
        assertThat(empty.nextOrNull(200)).as("deleting an unknown affiliate changes nothing").isNull();
    }

    @Test
    void listOfUnknownClusterIsEmpty() throws Exception {
        assertThat(list("nothing").getAffiliatesCount()).isZero();
        send(update("two", "a"));
        TestClient.Watch w = client.watch("one");
        w.next();
        assertThat(list("two").getAffiliatesCount()).isEqualTo(1);
        assertThat(list("nothing").getAffiliatesCount()).isZero();
    }

    @Test
    void clustersAreIsolated() throws Exception {
        TestClient.Watch w = client.watch("one");
        w.next();
        send(update("two", "a"));
        assertThat(w.nextOrNull(300)).isNull();
        assertThat(list("one").getAffiliatesCount()).isZero();
        assertThat(list("two").getAffiliatesCount()).isEqualTo(1);
    }

    @Test
    void emptyClusterWithoutWatchersIsForgotten() throws Exception {
        send(update("gone", "a").setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1)));
        TestClient.Watch w = client.watch("kept");
        w.next();
        assertThat(server.registry().clusterCount()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.registry().clusterCount() == 1);
        w.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.registry().clusterCount() == 0);
    }
}
