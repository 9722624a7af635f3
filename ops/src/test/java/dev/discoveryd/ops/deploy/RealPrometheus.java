package dev.discoveryd.ops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Debian's Prometheus as its own process: scrapes the given targets every second and evaluates a rule file. */
final class RealPrometheus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private RealPrometheus(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static RealPrometheus start(Path dir, List<Integer> metricsPorts, Path rules) throws Exception {
        String targets = metricsPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(", "));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: discoveryd
                    static_configs:
                      - targets: [%s]
                """.formatted(rules.toAbsolutePath(), targets));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealPrometheus prom = new RealPrometheus(p, log, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("prometheus exited:\n" + Files.readString(log));
            }
            try {
                if (prom.get("/-/ready").statusCode() == 200) {
                    return prom;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        prom.close();
        throw new IllegalStateException("prometheus not ready in 60 s:\n" + Files.readString(log));
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The /api/v1/query answer for an instant query now (status, error, data.result). */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
    }

    /** Active alerts (pending and firing). */
    JsonNode alerts() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/v1/alerts").body()).path("data").path("alerts");
    }

    /** The rule groups as Prometheus loaded them (health, lastError per rule). */
    JsonNode rules() throws IOException, InterruptedException {
        return JSON.readTree(get("/api/v1/rules").body()).path("data").path("groups");
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
