package dev.discoveryd.ops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.ops.FleetLoad;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real Prometheus scraping two real discoveryd processes: one with TLS (a certificate valid 10 days) under a fleet
 * load with a reconnect storm, one whose disk is "below the reserve" (--log-min-free larger than any disk) that a
 * node tries to publish to. Then every dashboard panel query must evaluate without error and return data, every
 * metric the alerts use must exist, and the alerts for that state must fire.
 */
@Tag("slow")
class MonitoringEndToEndIT {
    private static final Pattern METRIC = Pattern.compile("([a-z_:][a-z0-9_:]*)\\{");
    private final Path monitoring = Tools.opsDir().resolve("monitoring");

    @TempDir
    Path tmp;

    @Test
    void dashboardPanelsReturnDataAndAlertsFireAgainstTheRealServiceUnderLoad() throws Exception {
        Tools.require("prometheus", "prometheus");
        Tools.require("openssl", "openssl");
        Path jar = Tools.artefact("discoveryd.jar");
        Path cli = Tools.artefact("cli.jar");
        Tools.Result cert = Tools.run(Duration.ofSeconds(60), tmp, "openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "10",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        assertThat(cert.ok()).as(cert.output()).isTrue();
        // A small heap so that the JVM collects during the run (the GC panels need a pause to show).
        try (RealService loaded = RealService.start(jar, tmp.resolve("loaded.log"), List.of("-Xmx192m"),
                "--data-dir=" + tmp.resolve("loaded"), "--snapshot-interval=2s",
                "--certificate-path=" + tmp.resolve("cert.pem"), "--key-path=" + tmp.resolve("key.pem"));
             RealService full = RealService.start(jar, tmp.resolve("full.log"), "--data-dir=" + tmp.resolve("full"),
                     "--log-min-free=1000TiB");
             RealPrometheus prom = RealPrometheus.start(tmp, List.of(loaded.metricsPort, full.metricsPort),
                     monitoring.resolve("alerts.yml"))) {
            String fullInstance = "127.0.0.1:" + full.metricsPort;
            // The counter must be seen at 0 before the failure, or increase() has nothing to compare with.
            await().atMost(Duration.ofSeconds(60)).until(() -> !prom.query(
                    "discovery_state_journal_failures_total{instance=\"" + fullInstance + "\"}").at("/data/result").isEmpty());
            Tools.Result publish = Tools.run(Duration.ofSeconds(120), tmp, "java", "-jar", cli.toString(), "publish",
                    "--endpoint=http://127.0.0.1:" + full.grpcPort, "--cluster-id=full-disk",
                    "--cluster-secret=" + "A".repeat(43) + "=", "--address=10.5.0.1");
            assertThat(publish.ok()).as("publish must be refused: " + publish.output()).isFalse();
            assertThat(publish.output()).containsIgnoringCase("unavailable");

            FleetLoad.Report fleet = FleetLoad.run(new String[]{"--target=127.0.0.1:" + loaded.grpcPort, "--tls=true",
                    "--clusters=10", "--nodes=5", "--time-scale=900", "--duration=20s", "--ramp=3s", "--storms=1",
                    "--server-pid=" + loaded.pid()}, System.out);
            assertThat(fleet.failures()).isZero();
            // 50 nodes refreshing every second for 20 s, one storm: refreshes flowed and reached the other nodes.
            assertThat(fleet.updates()).isGreaterThan(50);
            assertThat(fleet.deliveries()).isGreaterThan(fleet.updates());
            assertThat(fleet.stormSeconds()).hasSize(1);

            Map<String, String> failures = new LinkedHashMap<>();
            for (String expr : panelQueries()) {
                JsonNode r = prom.query(expr);
                if (!"success".equals(r.path("status").asText())) {
                    failures.put(expr, r.path("error").asText());
                } else if (r.at("/data/result").isEmpty()) {
                    failures.put(expr, "no data");
                }
            }
            assertThat(failures).as("dashboard panel queries that fail or return nothing").isEmpty();

            Set<String> names = new HashSet<>();
            prom.query("count by (__name__) ({job=\"discoveryd\"})").at("/data/result")
                    .forEach(s -> names.add(s.at("/metric/__name__").asText()));
            for (JsonNode rule : AlertRulesTest.rules(monitoring.resolve("alerts.yml"))) {
                Matcher m = METRIC.matcher(rule.get("expr").asText());
                while (m.find()) {
                    assertThat(names).as("metric of alert %s", rule.get("alert").asText()).contains(m.group(1));
                }
            }
            prom.rules().forEach(g -> g.path("rules").forEach(r -> assertThat(r.path("health").asText())
                    .as("rule %s: %s", r.path("name").asText(), r.path("lastError").asText()).isEqualTo("ok")));

            String loadedInstance = "127.0.0.1:" + loaded.metricsPort;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<String, String> active = activeAlerts(prom);
                assertThat(active).containsEntry("DiscoverydJournalFailures " + fullInstance, "firing")
                        .containsEntry("DiscoverydCertificateExpiring " + loadedInstance, "firing")
                        .containsKey("DiscoverydDiskBelowReserve " + fullInstance)
                        .doesNotContainKey("DiscoverydDiskBelowReserve " + loadedInstance)
                        .doesNotContainKey("DiscoverydJournalFailures " + loadedInstance)
                        .doesNotContainKey("DiscoverydCertificateExpiring " + fullInstance);
            });
        }
    }

    private static Map<String, String> activeAlerts(RealPrometheus prom) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        prom.alerts().forEach(a -> out.put(a.at("/labels/alertname").asText() + " " + a.at("/labels/instance").asText(),
                a.path("state").asText()));
        return out;
    }

    /** Every target expression of every panel, with the dashboard's variables as Grafana would fill them in. */
    private List<String> panelQueries() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(monitoring.resolve("dashboard.json").toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dash.get("panels")) {
            for (JsonNode t : panel.path("targets")) {
                out.add(t.get("expr").asText().replace("$__rate_interval", "1m").replace("$job", "discoveryd")
                        .replace("$instance", ".+"));
            }
        }
        assertThat(out).hasSizeGreaterThan(30);
        return out;
    }
}
