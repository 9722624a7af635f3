package dev.discoveryd.ops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ops/kubernetes rendered by kustomize, validated against the Kubernetes OpenAPI schemas (kubernetes-models, npm), and
 * cross-checked with the real jar: every flag in its --help, every address flag matching its container port, every
 * probe and the ServiceMonitor answered by the jar started with the manifest's own arguments.
 */
@Tag("slow")
class KubernetesManifestsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern FLAG = Pattern.compile("^--([a-z-]+)(?:=(.*))?$");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    /** The flags of overlays/scaleout that need a Kafka cluster. */
    private static final java.util.Set<String> SCALE_OUT = java.util.Set.of("log", "kafka-bootstrap",
            "advertise-endpoint", "instance-id");
    private final Path kube = Tools.opsDir().resolve("kubernetes");

    @TempDir
    Path tmp;

    @Test
    void overlaysValidateAndMatchTheRealJar() throws Exception {
        Path jar = Tools.artefact("discoveryd.jar");
        Tools.Result help = Tools.run(TIMEOUT, tmp, "java", "-jar", jar.toString(), "--help");
        assertThat(help.ok()).as(help.output()).isTrue();
        for (String overlay : new String[]{"overlays/single", "overlays/sharded", "overlays/scaleout"}) {
            List<JsonNode> objects = renderAndValidate(overlay);
            JsonNode sts = one(objects, "StatefulSet", "discoveryd");
            assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(overlay.endsWith("single") ? 1 : 3);
            assertThat(one(objects, "Service", sts.at("/spec/serviceName").asText()).at("/spec/clusterIP").asText())
                    .as("headless service").isEqualTo("None");
            one(objects, "Secret", "discoveryd-at-rest-key");
            assertThat(one(objects, "Secret", "discoveryd-tls").path("type").asText()).isEqualTo("kubernetes.io/tls");
            checkAgainstJar(overlay, objects, sts, help.output(), jar);
        }
    }

    @Test
    void agentDaemonSetValidatesAndFollowsTheAgentInterface() throws Exception {
        List<JsonNode> objects = renderAndValidate("agent");
        JsonNode ds = one(objects, "DaemonSet", "kubespan-agent");
        JsonNode pod = ds.at("/spec/template/spec");
        JsonNode c = pod.at("/containers/0");
        assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
        assertThat(c.at("/securityContext/capabilities/add").toString()).isEqualTo("[\"NET_ADMIN\"]");
        assertThat(c.at("/securityContext/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(c.at("/securityContext/privileged").asBoolean()).isFalse();
        List<String> args = strings(c.path("args"));
        assertThat(args).containsExactly("run", "--config", "/etc/kubespan-agent/config.yaml", "--state-dir",
                "/var/lib/kubespan-agent");
        Map<String, JsonNode> mounts = mounts(pod, c);
        assertThat(mountFor(mounts, "/etc/kubespan-agent/config.yaml").at("/secret/secretName").asText())
                .isEqualTo("kubespan-agent-config");
        assertThat(one(objects, "Secret", "kubespan-agent-config").at("/stringData").has("config.yaml")).isTrue();
        assertThat(mountFor(mounts, "/var/lib/kubespan-agent").at("/hostPath/path").asText()).isEqualTo("/var/lib/kubespan-agent");
        assertThat(mountFor(mounts, "/dev/net/tun").at("/hostPath/type").asText()).isEqualTo("CharDevice");
        // The agent module is built by its own helper: check its CLI when its jar is there.
        Path agentJar = Tools.opsDir().resolve("../kubespan-agent/target/kubespan-agent.jar").normalize();
        Assumptions.assumeTrue(Files.isRegularFile(agentJar), agentJar + " not built: flags checked statically only");
        Tools.Result help = Tools.run(TIMEOUT, tmp, "java", "-jar", agentJar.toString(), "run", "--help");
        assertThat(help.output()).contains("--config").contains("--state-dir");
    }

    private void checkAgainstJar(String overlay, List<JsonNode> objects, JsonNode sts, String help, Path jar)
            throws Exception {
        JsonNode pod = sts.at("/spec/template/spec");
        JsonNode c = pod.at("/containers/0");
        Map<String, Integer> ports = new HashMap<>();
        c.path("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
        Map<String, String> portOfFlag = Map.of("addr", "grpc", "landing-addr", "landing", "metrics-addr", "metrics");
        Map<String, JsonNode> mounts = mounts(pod, c, sts.at("/spec/volumeClaimTemplates"));
        Path files = Files.createDirectories(tmp.resolve(overlay.replace('/', '-')));
        List<String> runArgs = new ArrayList<>();
        Map<String, JsonNode> env = new HashMap<>();
        c.path("env").forEach(e -> env.put(e.get("name").asText(), e));
        for (String arg : strings(c.path("args"))) {
            Matcher refs = ENV_REF.matcher(arg);
            while (refs.find()) {
                // Kubernetes expands only variables the container defines; anything else stays literal text.
                JsonNode var = env.get(refs.group(1));
                assertThat(var).as("%s: %s uses $(%s), defined in the container's env", overlay, arg, refs.group(1))
                        .isNotNull();
                JsonNode ref = var.at("/valueFrom/configMapKeyRef");
                if (!ref.isMissingNode()) {
                    assertThat(one(objects, "ConfigMap", ref.path("name").asText()).at("/data").has(
                            ref.path("key").asText())).as("%s: ConfigMap key for $(%s)", overlay, refs.group(1))
                            .isTrue();
                }
            }
        }
        for (String arg : strings(c.path("args"))) {
            Matcher m = FLAG.matcher(arg);
            assertThat(m.matches()).as("%s: flag syntax %s", overlay, arg).isTrue();
            String name = m.group(1);
            String value = m.group(2);
            assertThat(help).as("%s: --%s in the jar's --help", overlay, name).containsPattern("--" + name + "[=\\[]");
            if (portOfFlag.containsKey(name)) {
                assertThat(ports.get(portOfFlag.get(name))).as("%s: containerPort %s for %s", overlay, portOfFlag.get(name), arg)
                        .isEqualTo(Integer.parseInt(value.substring(value.lastIndexOf(':') + 1)));
                runArgs.add("--" + name + "=127.0.0.1:0");
            } else if (SCALE_OUT.contains(name)) {
                // The jar below runs on its own (no Kafka here); ScaleOutIT and InstanceKillIT run these flags.
                continue;
            } else if (value != null && value.startsWith("/")) {
                assertThat(mountFor(mounts, value)).as("%s: a volume holds %s", overlay, value).isNotNull();
                runArgs.add("--" + name + "=" + local(files, name, value));
            } else {
                runArgs.add(arg);
            }
        }
        Map<String, String> podLabels = labels(sts.at("/spec/template/metadata/labels"));
        for (JsonNode svc : kind(objects, "Service")) {
            assertThat(podLabels).as("%s: Service %s selects the pods", overlay, svc.at("/metadata/name").asText())
                    .containsAllEntriesOf(labels(svc.at("/spec/selector")));
            svc.at("/spec/ports").forEach(p -> assertThat(ports).as("%s: targetPort %s", overlay, p.path("targetPort"))
                    .containsKey(p.path("targetPort").asText()));
        }
        JsonNode pdb = one(objects, "PodDisruptionBudget", "discoveryd");
        assertThat(podLabels).containsAllEntriesOf(labels(pdb.at("/spec/selector/matchLabels")));
        assertThat(c.at("/resources/requests/memory").asText()).isNotEmpty();
        assertThat(c.at("/resources/limits/memory").asText()).isNotEmpty();

        try (RealService real = RealService.startExactly(jar, files.resolve("service.log"), List.of(), runArgs)) {
            Map<String, Integer> live = Map.of("grpc", real.grpcPort, "landing", real.pagesPort, "metrics", real.metricsPort);
            for (String probe : new String[]{"startupProbe", "readinessProbe", "livenessProbe"}) {
                JsonNode get = c.at("/" + probe + "/httpGet");
                String port = get.path("port").asText();
                assertThat(ports).as("%s: %s port", overlay, probe).containsKey(port);
                int status = RealService.get(live.get(port), get.path("path").asText()).statusCode();
                assertThat(status).as("%s: %s %s on %s", overlay, probe, get.path("path").asText(), port).isEqualTo(200);
            }
            JsonNode sm = one(objects, "ServiceMonitor", "discoveryd");
            JsonNode endpoint = sm.at("/spec/endpoints/0");
            JsonNode scraped = kind(objects, "Service").stream().filter(s -> labels(s.at("/metadata/labels"))
                    .entrySet().containsAll(labels(sm.at("/spec/selector/matchLabels")).entrySet())).findFirst().orElseThrow(
                    () -> new AssertionError(overlay + ": the ServiceMonitor selects no Service"));
            JsonNode port = null;
            for (JsonNode p : scraped.at("/spec/ports")) {
                if (p.path("name").asText().equals(endpoint.path("port").asText())) {
                    port = p;
                }
            }
            assertThat(port).as("%s: ServiceMonitor port %s on Service %s", overlay, endpoint.path("port"),
                    scraped.at("/metadata/name")).isNotNull();
            var metrics = RealService.get(live.get(port.path("targetPort").asText()), endpoint.path("path").asText());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("discovery_state_clusters");
        }
    }

    /** A local stand-in for a file or directory the manifest mounts (a generated key, a self-signed pair). */
    private Path local(Path dir, String flag, String value) throws Exception {
        Path p = dir.resolve(flag);
        switch (flag) {
            case "at-rest-key-file" -> Files.writeString(p, "1:" + Base64.getEncoder().encodeToString(new byte[32]) + "\n");
            case "certificate-path", "key-path" -> {
                Tools.require("openssl", "openssl");
                if (!Files.exists(dir.resolve("certificate-path"))) {
                    Tools.Result r = Tools.run(TIMEOUT, dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key-path", "-out", "certificate-path",
                            "-days", "30", "-subj", "/CN=localhost");
                    assertThat(r.ok()).as(r.output()).isTrue();
                }
            }
            default -> Files.createDirectories(p);
        }
        return p;
    }

    private List<JsonNode> renderAndValidate(String dir) throws Exception {
        Tools.require("kubectl", "kubectl with kustomize v4 or later");
        Tools.Result version = Tools.run(TIMEOUT, kube, "kubectl", "version", "--client");
        Assumptions.assumeTrue(version.output().matches("(?s).*Kustomize Version: v[4-9].*"),
                "kubectl's kustomize is older than v4 (" + version.output().trim() + "): skipping");
        Tools.require("node", "nodejs");
        Path validator = kube.resolve("validate");
        Assumptions.assumeTrue(Files.isDirectory(validator.resolve("node_modules/kubernetes-models")),
                "schemas not installed: run npm ci --prefix ops/kubernetes/validate (./test.sh does): skipping");
        Tools.Result rendered = Tools.run(TIMEOUT, kube, "kubectl", "kustomize", dir);
        assertThat(rendered.ok()).as(rendered.output()).isTrue();
        List<JsonNode> objects = new ArrayList<>();
        try (var docs = AlertRulesTest.YAML.readerFor(JsonNode.class).readValues(rendered.output())) {
            while (docs.hasNext()) {
                JsonNode d = (JsonNode) docs.next();
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    objects.add(d);
                }
            }
        }
        Path json = tmp.resolve(dir.replace('/', '-') + ".json");
        JSON.writeValue(json.toFile(), objects);
        Tools.Result valid = Tools.run(TIMEOUT, validator, "node", "validate.mjs", json.toString());
        System.out.println(dir + ":\n" + valid.output());
        assertThat(valid.ok()).as(dir + " against the Kubernetes schemas:\n" + valid.output()).isTrue();
        return objects;
    }

    private static Map<String, JsonNode> mounts(JsonNode pod, JsonNode container) {
        return mounts(pod, container, null);
    }

    /** Mount path to volume (a pod volume, or one of the StatefulSet's claim templates). */
    private static Map<String, JsonNode> mounts(JsonNode pod, JsonNode container, JsonNode claimTemplates) {
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.get("name").asText(), v));
        if (claimTemplates != null) {
            claimTemplates.forEach(t -> volumes.put(t.at("/metadata/name").asText(), t));
        }
        Map<String, JsonNode> out = new HashMap<>();
        container.path("volumeMounts").forEach(m -> out.put(m.get("mountPath").asText(), volumes.get(m.get("name").asText())));
        assertThat(out.values()).as("every volumeMount names a volume").doesNotContainNull();
        return out;
    }

    /** The volume mounted at {@code path} or at a directory above it; null when none. */
    private static JsonNode mountFor(Map<String, JsonNode> mounts, String path) {
        for (Path p = Path.of(path); p != null; p = p.getParent()) {
            if (mounts.containsKey(p.toString())) {
                return mounts.get(p.toString());
            }
        }
        return null;
    }

    private static List<JsonNode> kind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode one(List<JsonNode> objects, String kind, String name) {
        return kind(objects, kind).stream().filter(o -> o.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText()));
        return out;
    }
}
