package dev.discoveryd.service.e2e;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Hello with --redirect-endpoint and with the proxy headers distrusted; shutdown ends open watches. */
class RedirectAndTrustEndToEndTest {

    @Test
    void redirectIsSentAndUntrustedHeadersAreIgnored() throws Exception {
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--in-memory", "--redirect-endpoint=discovery-2.example.org:443", "-trust-x-real-ip=false",
                "--trust-first-x-forwarded-for", "false");
             TestClient client = new TestClient(server.grpcPort())) {
            TestClient.Result<HelloResponse> r = client.call(ClusterGrpcClient.Hello,
                    HelloRequest.newBuilder().setClusterId("c").setClientVersion("v1.11.0").build(),
                    Map.of("x-real-ip", "203.0.113.7", "x-forwarded-for", "198.51.100.1"));
            assertThat(r.status()).isEqualTo(GrpcStatus.OK);
            assertThat(r.reply().hasRedirect()).isTrue();
            assertThat(r.reply().getRedirect().getEndpoint()).isEqualTo("discovery-2.example.org:443");
            assertThat(r.reply().getClientIp().toByteArray()).as("the TCP peer, not the headers").containsExactly(127, 0, 0, 1);
        }
    }

    @Test
    void stoppingTheServerEndsOpenWatches() throws Exception {
        DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--in-memory");
        try (TestClient client = new TestClient(server.grpcPort())) {
            TestClient.Watch w = client.watch("c");
            w.next();
            server.close();
            assertThat(w.status.get(10, TimeUnit.SECONDS)).isEqualTo(GrpcStatus.UNAVAILABLE);
        } finally {
            server.close();
        }
    }
}
