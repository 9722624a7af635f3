package dev.discoveryd.service.ops;

import dev.discoveryd.service.DiscoveryServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17 item 7: /inspect of a full cluster is paged (it was one 8.8 MB page), and the pages are rate limited per
 * address like the RPCs, on the landing port and on the gRPC port; health probes are not.
 */
class PageLimitsEndToEndTest {
    private DiscoveryServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0", "--metrics-addr=",
                "--in-memory"));
        args.addAll(List.of(extra));
        server = DiscoveryServer.start(args.toArray(new String[0]));
        List<byte[]> endpoints = new ArrayList<>();
        for (int e = 0; e < 64; e++) {
            endpoints.add(new byte[32]);
        }
        for (int i = 0; i < 1024; i++) {
            server.registry().update("full", String.format("affiliate-%04d", i), new byte[2048], endpoints,
                    Duration.ofMinutes(30), Runnable::run).join();
        }
    }

    @Test
    void aFullClusterIsShownPageByPage() throws Exception {
        start("--ip-rate-limit=0");
        HttpResponse<String> first = Http.get(server.ops().landingPort(), "/inspect?clusterID=full");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body().length()).isLessThan(400_000);
        assertThat(first.body()).contains("1024 affiliates", "Page 1 of 32", "affiliate-0000", "affiliate-0031")
                .doesNotContain("affiliate-0032", "id=\"previous\"")
                .contains("href=\"/inspect?clusterID=full&amp;page=2\"");
        HttpResponse<String> last = Http.get(server.grpcPort(), "/inspect?clusterID=full&page=32");
        assertThat(last.body()).contains("Page 32 of 32", "affiliate-1023", "id=\"previous\"").doesNotContain("affiliate-0991<");
        assertThat(Http.get(server.grpcPort(), "/inspect?clusterID=full&page=999").body()).contains("Page 32 of 32");
        assertThat(Http.get(server.grpcPort(), "/inspect?clusterID=full&page=x").body()).contains("Page 1 of 32");
    }

    @Test
    void pagesAreRateLimitedPerAddressButProbesAreNot() throws Exception {
        start("--ip-rate-limit=2", "--ip-rate-burst=5");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<HttpResponse<String>>> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int port = i % 2 == 0 ? server.ops().landingPort() : server.grpcPort();
            String path = i % 3 == 0 ? "/stats" : "/inspect?clusterID=full";
            statuses.add(pool.submit(() -> Http.get(port, path)));
        }
        int refused = 0;
        for (Future<HttpResponse<String>> f : statuses) {
            assertThat(f.get().statusCode()).isIn(200, 429);
            if (f.get().statusCode() == 429) {
                refused++;
                assertThat(f.get().headers().firstValue("retry-after")).hasValue("1");
            }
        }
        pool.shutdown();
        assertThat(refused).as("refused of 20 at once at 2/s, burst 5, waiting at most 1 s").isGreaterThanOrEqualTo(10);
        for (int i = 0; i < 20; i++) {
            assertThat(Http.get(server.ops().landingPort(), "/healthz").statusCode()).isEqualTo(200);
        }
    }
}
