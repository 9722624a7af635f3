package dev.discoveryd.service.ops;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The landing, inspect, stats and health pages over HTTP, on the landing port and the main port. */
class WebPagesEndToEndTest {
    private DiscoveryServer server;
    private GrpcCaller client;
    private int landing;

    @BeforeEach
    void start() throws Exception {
        server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0", "--metrics-addr=",
                "--in-memory", "--event-loops=1");
        client = new GrpcCaller(server.grpcPort(), false);
        landing = server.ops().landingPort();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    static void publish(GrpcCaller client, String cluster, String affiliate, byte[] data, byte[]... endpoints) {
        AffiliateUpdateRequest.Builder b = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate)
                .setAffiliateData(ByteString.copyFrom(data)).setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600));
        for (byte[] e : endpoints) {
            b.addAffiliateEndpoints(ByteString.copyFrom(e));
        }
        assertThat(client.call(ClusterGrpcClient.AffiliateUpdate, b.build()).status()).isEqualTo(GrpcStatus.OK);
    }

    private static String query(String clusterId) {
        return "/inspect?clusterID=" + URLEncoder.encode(clusterId, StandardCharsets.UTF_8);
    }

    @Test
    void theLandingPageExplainsTheServiceOnBothPorts() {
        for (int port : new int[]{landing, server.grpcPort()}) {
            HttpResponse<String> r = Http.get(port, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("Cluster discovery service", "cannot read them", "action=\"/inspect\"");
            assertThat(r.headers().firstValue("content-security-policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        }
        assertThat(Http.get(landing, "/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void inspectShowsAffiliatesAsHexAndEscapesEverythingItEchoes() {
        publish(client, "web", "<b>node</b>", new byte[]{(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef},
                new byte[]{1, 2, 3, 4}, new byte[]{(byte) 0xff});
        HttpResponse<String> r = Http.get(landing, query("web"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("deadbeef", "01020304<br>ff", "&lt;b&gt;node&lt;/b&gt;", "1 affiliate.")
                .doesNotContain("<b>node</b>");

        HttpResponse<String> hostile = Http.get(landing, query("\"><script>alert(1)</script>"));
        assertThat(hostile.statusCode()).isEqualTo(200);
        assertThat(hostile.body()).contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;", "0 affiliates")
                .doesNotContain("<script>");

        HttpResponse<String> tooLong = Http.get(landing, query("x".repeat(300)));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("id=\"error\"");
        assertThat(Http.get(server.grpcPort(), query("web")).body()).as("also on the main port").contains("deadbeef");
    }

    @Test
    void statsIsCachedJsonReadableFromAnyOrigin() {
        publish(client, "s", "one", new byte[]{1}, new byte[]{9, 9});
        HttpResponse<String> r = Http.get(landing, "/stats");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject stats = new JsonObject(r.body());
        assertThat(stats.getLong("affiliates")).isEqualTo(1);
        assertThat(stats.getLong("clusters")).isEqualTo(1);
        assertThat(stats.getLong("endpoints")).isEqualTo(1);

        publish(client, "s", "two", new byte[]{2});
        assertThat(Http.get(landing, "/stats").body()).as("served from the cache").isEqualTo(r.body());
    }

    @Test
    void statsCacheCanBeShortened() throws Exception {
        try (DiscoveryServer fresh = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0",
                "--metrics-addr=", "--in-memory", "--event-loops=1", "--stats-cache=0s");
             GrpcCaller c = new GrpcCaller(fresh.grpcPort(), false)) {
            publish(c, "s", "one", new byte[]{1});
            publish(c, "s", "two", new byte[]{2});
            assertThat(new JsonObject(Http.get(fresh.ops().landingPort(), "/stats").body()).getLong("affiliates")).isEqualTo(2);
        }
    }

    @Test
    void healthAndReadinessAnswerOnTheLandingPort() {
        assertThat(Http.get(landing, "/healthz").body()).isEqualTo("ok\n");
        HttpResponse<String> ready = Http.get(landing, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
    }
}
