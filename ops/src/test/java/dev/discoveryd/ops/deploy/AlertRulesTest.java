package dev.discoveryd.ops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** ops/monitoring/alerts.yml through promtool: valid, unit-tested, and each test able to catch a misspelt metric. */
class AlertRulesTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern METRIC = Pattern.compile("([a-z_:][a-z0-9_:]*)\\{");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path monitoring = Tools.opsDir().resolve("monitoring");

    static List<JsonNode> rules(Path alerts) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        YAML.readTree(alerts.toFile()).get("groups").forEach(g -> g.get("rules").forEach(out::add));
        return out;
    }

    @Test
    void rulesAreValidAndTheirUnitTestsPass() throws Exception {
        Tools.require("promtool", "prometheus");
        Tools.Result check = Tools.run(TIMEOUT, monitoring, "promtool", "check", "rules", "alerts.yml");
        assertThat(check.ok()).as(check.output()).isTrue();
        Tools.Result test = Tools.run(TIMEOUT, monitoring, "promtool", "test", "rules", "alerts-test.yml");
        assertThat(test.ok()).as(test.output()).isTrue();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAFiringAndAQuietCase() throws Exception {
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode t : YAML.readTree(monitoring.resolve("alerts-test.yml").toFile()).get("tests")) {
            for (JsonNode a : t.path("alert_rule_test")) {
                (a.path("exp_alerts").isEmpty() ? quiet : firing).add(a.get("alertname").asText());
            }
        }
        for (JsonNode rule : rules(monitoring.resolve("alerts.yml"))) {
            String name = rule.get("alert").asText();
            assertThat(firing).as("a test where %s fires", name).contains(name);
            assertThat(quiet).as("a test where %s must stay quiet", name).contains(name);
        }
    }

    /** Misspells the first metric of each alert in turn: the unit tests must then fail (they can catch it). */
    @Tag("slow")
    @Test
    void eachAlertsTestsFailWhenItsMetricIsMisspelt(@TempDir Path tmp) throws Exception {
        Tools.require("promtool", "prometheus");
        Files.copy(monitoring.resolve("alerts-test.yml"), tmp.resolve("alerts-test.yml"));
        List<String> uncaught = new ArrayList<>();
        JsonNode tree = YAML.readTree(monitoring.resolve("alerts.yml").toFile());
        for (JsonNode group : tree.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String expr = rule.get("expr").asText();
                Matcher m = METRIC.matcher(expr);
                assertThat(m.find()).as("a metric in %s", expr).isTrue();
                ((ObjectNode) rule).put("expr", expr.replace(m.group(1) + "{", m.group(1) + "_typo{"));
                YAML.writeValue(tmp.resolve("alerts.yml").toFile(), tree);
                Tools.Result r = Tools.run(TIMEOUT, tmp, "promtool", "test", "rules", "alerts-test.yml");
                if (r.ok()) {
                    uncaught.add(rule.get("alert").asText() + " (" + m.group(1) + ")");
                }
                ((ObjectNode) rule).put("expr", expr);
            }
        }
        assertThat(uncaught).as("alerts whose unit tests pass with a misspelt metric").isEmpty();
    }
}
