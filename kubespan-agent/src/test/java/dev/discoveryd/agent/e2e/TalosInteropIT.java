package dev.discoveryd.agent.e2e;

import static dev.discoveryd.agent.e2e.AgentMeshIT.byLabel;
import static dev.discoveryd.agent.e2e.AgentMeshIT.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Talos-format affiliate (published with the node-client CLI) becomes a peer; the agent's own decodes as Talos's. */
@Tag("slow")
class TalosInteropIT {
    private static final String TALOS_NODE = "7x1SuC8Ege5BGXdAfTEff5iQnlWZLfv9h1LGy3Hg5ke";
    private static final String TALOS_KEY = "NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=";

    @TempDir
    Path dir;

    @Test
    void talosAffiliateBecomesAPeerAndTheAgentPublishesATalosAffiliate() throws Exception {
        try (ServiceProcess service = ServiceProcess.start();
             AgentProcess agent = new AgentProcess(dir.resolve("agent"), Configs.agent(1, Map.of("main", service.url())));
             DiscoveryClient watcher = DiscoveryClient.create(new DiscoveryClientOptions().addEndpoint(service.url())
                     .setClusterId(Configs.CLUSTER_ID).setClusterSecret(ClusterSecret.fromBase64(Configs.SECRET)))) {
            watcher.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            agent.start();
            await().atMost(30, TimeUnit.SECONDS).pollInterval(java.time.Duration.ofMillis(20))
                    .until(() -> find(watcher, agent.nodeId).isPresent());
            System.out.printf("agent start to published: %d ms (process launch to visible on the service; JVM ready after %d ms)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - agent.startedNanos),
                    TimeUnit.NANOSECONDS.toMillis(agent.readyNanos - agent.startedNanos));

            // What the agent publishes, decoded with the Talos formats.
            DiscoveredAffiliate mine = find(watcher, agent.nodeId).orElseThrow();
            AffiliateInfo info = mine.info();
            String publicKey = agent.get("kubespanidentities").get(0).get("spec").get("publicKey").asText();
            assertThat(info.nodeId()).isEqualTo(agent.nodeId);
            assertThat(info.hostname()).isEqualTo("node-1.example");
            assertThat(info.nodename()).isEqualTo("node-1");
            assertThat(info.machineType()).isEqualTo("worker");
            assertThat(info.controlPlaneApiServerPort()).isEmpty();
            assertThat(info.addresses()).extracting(IpText::format)
                    .containsExactly("10.10.0.1", IpText.format(Configs.kubespanAddress(1).ip()));
            assertThat(info.kubespan().publicKey()).isEqualTo(publicKey);
            assertThat(info.kubespan().address()).isEqualTo(Configs.kubespanAddress(1).ip());
            await().atMost(10, TimeUnit.SECONDS).until(() -> find(watcher, agent.nodeId).orElseThrow().endpoints().size() == 2);
            assertThat(find(watcher, agent.nodeId).orElseThrow().endpoints()).extracting(Object::toString)
                    .containsExactly("10.10.0.1:51820", "127.0.0.1:51820");

            // A Talos node's affiliate, published the way a Talos node does, through the node-client CLI.
            Process publish = new ProcessBuilder(Processes.java(), "-jar", Processes.jar("client.jar").toString(), "publish",
                    "--endpoint", service.url(), "--cluster-id", Configs.CLUSTER_ID, "--cluster-secret", Configs.SECRET,
                    "--node-id", TALOS_NODE, "--hostname", "talos-default-worker-1", "--machine-type", "worker",
                    "--operating-system", "Talos (v1.12.3)", "--address", "172.20.0.5", "--address", "fd83:b1f7:fcb5:2802::5",
                    "--wg-endpoint", "172.20.0.5:51820", "--kubespan-public-key", TALOS_KEY,
                    "--kubespan-address", "fd7f:175a:b97c:5602:4f3:b3ff:fe5c:1f2a", "--kubespan-additional-address", "10.244.1.0/24")
                    .redirectErrorStream(true).start();
            String out = new String(publish.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(publish.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(publish.exitValue()).as(out).isZero();

            await().atMost(10, TimeUnit.SECONDS).until(() -> agent.get("kubespanpeerspecs").size() == 1);
            JsonNode peer = agent.get("kubespanpeerspecs").get(0);
            assertThat(peer.get("metadata").get("id").asText()).isEqualTo(TALOS_KEY);
            JsonNode spec = byLabel(List.of(peer)).get("talos-default-worker-1");
            assertThat(texts(spec.get("allowedIPs"))).containsExactly("10.244.1.0/24", "172.20.0.5/32",
                    "fd7f:175a:b97c:5602:4f3:b3ff:fe5c:1f2a/128", "fd83:b1f7:fcb5:2802::5/128");
            assertThat(texts(spec.get("endpoints"))).containsExactly("172.20.0.5:51820");
            List<JsonNode> members = agent.get("members");
            assertThat(members).extracting(m -> m.get("metadata").get("id").asText())
                    .containsExactly("node-1", "talos-default-worker-1");
            JsonNode status = agent.get("kubespanpeerstatuses").get(0).get("spec");
            assertThat(status.get("state").asText()).isEqualTo("unknown");
            assertThat(status.get("lastUsedEndpoint").asText()).isEqualTo("172.20.0.5:51820");

            // Sensitive: the private key only with --sensitive.
            AgentProcess.Cli plain = agent.cli("get", "kubespanidentities", "-o", "yaml");
            assertThat(plain.output()).contains("privateKey: \"(sensitive: use --sensitive)\"").contains("publicKey: " + publicKey);
            AgentProcess.Cli secret = agent.cli("get", "ksi", "-o", "json", "--sensitive");
            assertThat(secret.output()).doesNotContain("sensitive: use").contains("\"privateKey\" : \"");
        }
        // The daemon is gone: the CLI says so in one line, quickly.
        AgentProcess gone = new AgentProcess(dir.resolve("agent"), "");
        AgentProcess.Cli down = gone.cli("get", "members");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.output().strip()).startsWith("error: kubespan-agent is not running").doesNotContain("\n");
    }

    private static Optional<DiscoveredAffiliate> find(DiscoveryClient watcher, String id) {
        return watcher.affiliates().stream().filter(a -> a.id().equals(id) && a.info() != null).findFirst();
    }
}
