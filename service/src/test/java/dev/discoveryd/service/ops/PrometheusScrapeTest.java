package dev.discoveryd.service.ops;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real Prometheus server scrapes the service and answers a query about it through its HTTP API. */
class PrometheusScrapeTest {
    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTheAffiliateGauge() throws Exception {
        Path prometheus = SystemTools.require("Prometheus", "prometheus", List.of("prometheus", "/usr/bin/prometheus"));
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=",
                "--metrics-addr=127.0.0.1:0", "--in-memory", "--event-loops=1");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            for (String id : new String[]{"n1", "n2", "n3"}) {
                client.call(ClusterGrpcClient.AffiliateUpdate, MetricsEndToEndTest.update("prom", id, 1, 600));
            }
            int webPort = SystemTools.freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: discoveryd
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(server.ops().metricsPort()));
            Process process = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + webPort,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(process.isAlive()).as("prometheus exited: %s", log()).isTrue();
                    assertThat(query(webPort, "up{job=\"discoveryd\"}")).isEqualTo("1");
                    assertThat(query(webPort, "discovery_state_affiliates")).isEqualTo("3");
                });
            } finally {
                SystemTools.stop(process);
            }
        }
    }

    private String log() throws Exception {
        Path log = dir.resolve("prometheus.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The value of an instant query's only sample, or null while there is none. */
    private static String query(int port, String promql) {
        var response = Http.get(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            return null;
        }
        JsonArray result = new JsonObject(response.body()).getJsonObject("data").getJsonArray("result");
        return result.isEmpty() ? null : result.getJsonObject(0).getJsonArray("value").getString(1);
    }
}
