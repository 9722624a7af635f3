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

    private static double counter(DiscoveryServer server, String name) {
        return server.ops().meters().get(name).counter().count();
    }

    // Deadlines on calls that must succeed are long (a loaded machine may take a second to answer); what a test
    // proves about waiting is read from the limiter's counters, not from the wall clock.

    @Test
    void aRequestWaitsForATokenWithinItsDeadlineThenIsRefused() throws Exception {
        // A token each 4 s: a burst of 2 is spent by back-to-back calls unless each took 4 s.
        try (DiscoveryServer server = start("--ip-rate-limit=0.25", "--ip-rate-burst=2");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            Map<String, String> a = from("203.0.113.1");
            // Calls with a 10 s deadline until one has to wait for its token: it is served after the wait.
            GrpcCaller.Result<?> waited = null;
            for (int i = 0; i < 10 && counter(server, "discovery.ratelimit.delayed") == 0; i++) {
                waited = client.call(ClusterGrpcClient.Hello, HELLO, a, 10_000);
                assertThat(waited.status()).isEqualTo(GrpcStatus.OK);
            }
            assertThat(counter(server, "discovery.ratelimit.delayed")).as("a call waited for a token").isEqualTo(1);
            assertThat(waited.millis()).as("waited for the next token").isPositive();

            // The bucket is empty for the next 4 s: a call whose deadline is shorter than the wait is refused at once.
            GrpcCaller.Result<?> refused = client.call(ClusterGrpcClient.Hello, HELLO, a, 1000);
            assertThat(refused.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
            assertThat(refused.message()).contains("rate limit");
            assertThat(counter(server, "discovery.ratelimit.rejected")).isEqualTo(1);

            GrpcCaller.Watch watch = client.watch("c", a, 1000);
            assertThat(watch.ended()).as("opening a Watch is rate limited too").isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);

            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, from("203.0.113.2"), 10_000).status())
                    .as("another address has its own bucket").isEqualTo(GrpcStatus.OK);
            assertThat(counter(server, "discovery.ratelimit.delayed")).as("and waits for nobody else's").isEqualTo(1);
        }
    }

    @Test
    void untrustedHeadersAreIgnoredSoEveryoneBehindThePeerSharesItsBucket() throws Exception {
        // A token each 100 s: nothing refills during the test.
        try (DiscoveryServer server = start("--ip-rate-limit=0.01", "--ip-rate-burst=2", "--trust-x-real-ip=false",
                "--trust-first-x-forwarded-for=false");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, from("198.51.100.1"), 10_000).status()).isEqualTo(GrpcStatus.OK);
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, from("198.51.100.2"), 10_000).status()).isEqualTo(GrpcStatus.OK);
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO, Map.of("x-forwarded-for", "198.51.100.3"), 10_000).status())
                    .isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        }
    }

    @Test
    void rateLimitZeroTurnsLimitingOff() throws Exception {
        try (DiscoveryServer server = start("--ip-rate-limit=0", "--ip-rate-burst=1");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.call(ClusterGrpcClient.Hello, HELLO, Map.of(), 10_000).status()).isEqualTo(GrpcStatus.OK);
            }
            assertThat(server.ops().meters().find("discovery.ratelimit.delayed").counter()).as("no limiter at all").isNull();
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
            assertThat(third.ended()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);

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
