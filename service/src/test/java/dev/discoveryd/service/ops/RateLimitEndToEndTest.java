package dev.discoveryd.service.ops;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-IP rate limit, Watch stream cap and message size bound against the real server. */
class RateLimitEndToEndTest {
    private static final HelloRequest HELLO = HelloRequest.newBuilder().setClusterId("c").setClientVersion("v1").build();

    private static DiscoveryServer start(String... extra) throws Exception {
        String[] base = {"--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--in-memory", "--event-loops=2"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return DiscoveryServer.start(args);
    }

    private static Map<String, String> from(String ip) {
        return Map.of("x-real-ip", ip);
    }

    @Test
    void aRequestWaitsForATokenWithinItsDeadlineThenIsRefused() throws Exception {
        try (DiscoveryServer server = start("--ip-rate-limit=4", "--ip-rate-burst=2");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            Map<String, String> a = from("203.0.113.1");
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, a, 5000).status()).isEqualTo(GrpcStatus.OK);
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, a, 5000).status()).isEqualTo(GrpcStatus.OK);

            GrpcCaller.Result<?> waited = client.call(ClusterGrpcClient.Hello, HELLO, a, 5000);
            assertThat(waited.status()).isEqualTo(GrpcStatus.OK);
            assertThat(waited.millis()).as("waited for the next token (4/s)").isGreaterThanOrEqualTo(150);

            GrpcCaller.Result<?> refused = client.call(ClusterGrpcClient.Hello, HELLO, a, 100);
            assertThat(refused.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
            assertThat(refused.message()).contains("rate limit");

            GrpcCaller.Watch watch = client.watch("c", a, 100);
            assertThat(watch.status.get()).as("opening a Watch is rate limited too").isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);

            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, from("203.0.113.2"), 100).status())
                    .as("another address has its own bucket").isEqualTo(GrpcStatus.OK);
        }
    }

    @Test
    void untrustedHeadersAreIgnoredSoEveryoneBehindThePeerSharesItsBucket() throws Exception {
        try (DiscoveryServer server = start("--ip-rate-limit=1", "--ip-rate-burst=2", "--trust-x-real-ip=false",
                "--trust-first-x-forwarded-for=false");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, from("198.51.100.1"), 100).status()).isEqualTo(GrpcStatus.OK);
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, from("198.51.100.2"), 100).status()).isEqualTo(GrpcStatus.OK);
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, Map.of("x-forwarded-for", "198.51.100.3"), 100).status())
                    .isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        }
    }

    @Test
    void rateLimitZeroTurnsLimitingOff() throws Exception {
        try (DiscoveryServer server = start("--ip-rate-limit=0", "--ip-rate-burst=1");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.call(ClusterGrpcClient.Hello, HELLO, Map.of(), 50).status()).isEqualTo(GrpcStatus.OK);
            }
        }
    }

    @Test
    void watchStreamsPerAddressAreCappedAndSlotsComeBackWhenStreamsEnd() throws Exception {
        try (DiscoveryServer server = start("--ip-watch-limit=2");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            Map<String, String> a = from("192.0.2.10");
            GrpcCaller.Watch first = client.watch("w", a, 0);
            GrpcCaller.Watch second = client.watch("w", a, 0);
            first.next();
            second.next();
            GrpcCaller.Watch third = client.watch("w", a, 0);
            assertThat(third.status.get()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);

            GrpcCaller.Watch other = client.watch("w", from("192.0.2.11"), 0);
            other.next();

            first.cancel();
            await().untilAsserted(() -> {
                GrpcCaller.Watch again = client.watch("w", a, 0);
                again.next();
                assertThat(again.status).isNotDone();
            });
            assertThat(second.status).as("the other streams stay open").isNotDone();
        }
    }

    @Test
    void oversizedMessagesAreRefusedAndChangeNothing() throws Exception {
        try (DiscoveryServer server = start("--max-message-size=4096");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            AffiliateUpdateRequest big = AffiliateUpdateRequest.newBuilder().setClusterId("m").setAffiliateId("a")
                    .setAffiliateData(ByteString.copyFrom(new byte[5000]))
                    .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build();
            assertThat(client.call(ClusterGrpcClient.AffiliateUpdate, big).status()).isNotEqualTo(GrpcStatus.OK);
            assertThat(client.call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId("m").build())
                    .reply().getAffiliatesCount()).isZero();
        }
    }
}
