package dev.discoveryd.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three agent processes (fake data plane) and the real discoveryd jar(s). */
@Tag("slow")
class AgentMeshIT {
    @TempDir
    Path dir;

    @Test
    void threeAgentsBecomePeersAndAGracefulStopDisappearsWithinSeconds() throws Exception {
        try (ServiceProcess service = ServiceProcess.start();
             AgentProcess a = agent(1, Map.of("main", service.url()));
             AgentProcess b = agent(2, Map.of("main", service.url()));
             AgentProcess c = agent(3, Map.of("main", service.url()))) {
            for (AgentProcess agent : List.of(a, b, c)) {
                agent.start();
            }
            List<AgentProcess> all = List.of(a, b, c);
            for (int i = 0; i < 3; i++) {
                AgentProcess self = all.get(i);
                int me = i + 1;
                // Eventually: a node first publishes what it knows, then again with the public IP from Hello.
                await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    Map<String, JsonNode> byLabel = byLabel(self.get("kubespanpeerspecs"));
                    assertThat(byLabel).hasSize(2).doesNotContainKey("node-" + me);
                    for (int j = 1; j <= 3; j++) {
                        if (j == me) {
                            continue;
                        }
                        JsonNode spec = byLabel.get("node-" + j);
                        assertThat(texts(spec.get("allowedIPs"))).containsExactly("10.10.0." + j + "/32",
                                Configs.kubespanAddress(j).toString());
                        // The node's address, then the public IP the service saw in Hello.
                        assertThat(texts(spec.get("endpoints"))).containsExactly("10.10.0." + j + ":51820", "127.0.0.1:51820");
                    }
                });
            }
            // Table output through the real CLI, as talosctl prints it.
            AgentProcess.Cli table = a.cli("get", "kubespanpeerspecs");
            assertThat(table.code()).as(table.output()).isZero();
            assertThat(table.output().lines().findFirst().orElseThrow())
                    .matches("NODE +NAMESPACE +TYPE +ID +VERSION +LABEL +ENDPOINTS");
            assertThat(table.output()).contains("10.10.0.1", "kubespan", "KubeSpanPeerSpec", "node-2", "[\"10.10.0.2:51820\",\"127.0.0.1:51820\"]");
            System.out.printf("CLI `get kubespanpeerspecs` took %d ms (JVM start included)%n", table.took().toMillis());

            long stopped = System.nanoTime();
            assertThat(c.terminate()).as("exit code of a graceful stop").isZero();
            assertThat(c.running.output.toString()).contains("deleted the local affiliate from discovery service main");
            await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                    .until(() -> a.get("kubespanpeerspecs").size() == 1 && b.get("kubespanpeerspecs").size() == 1);
            System.out.printf("gracefully stopped node gone from both peers after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped));
            assertThat(byLabel(a.get("kubespanpeerspecs"))).containsOnlyKeys("node-2");

            AgentProcess.Cli events = a.cli("events", "--tail", "50", "--no-follow");
            assertThat(events.output()).contains("AffiliateAdded", "AffiliateRemoved", "DiscoveryConnected", "EndpointChanged");
        }
    }

    @Test
    void twoServicesAreMergedAndTheCacheRestoresPeersWhenBothAreDown() throws Exception {
        ServiceProcess s1 = ServiceProcess.start();
        ServiceProcess s2 = ServiceProcess.start();
        try (s1; s2;
             AgentProcess a = agent(1, new TreeMap<>(Map.of("s1", s1.url(), "s2", s2.url())));
             AgentProcess b = agent(2, Map.of("s1", s1.url()));
             AgentProcess c = agent(3, Map.of("s2", s2.url()))) {
            for (AgentProcess agent : List.of(a, b, c)) {
                agent.start();
            }
            await().atMost(30, TimeUnit.SECONDS).until(() -> a.get("kubespanpeerspecs").size() == 2);
            assertThat(byLabel(a.get("kubespanpeerspecs"))).containsOnlyKeys("node-2", "node-3");
            List<String> raw = a.get("affiliates", "cluster-raw").stream().map(r -> r.get("metadata").get("id").asText()).toList();
            assertThat(raw).containsExactlyInAnyOrder("service/s1/" + b.nodeId, "service/s2/" + c.nodeId);
            // b and c share no service, so only a merges them.
            assertThat(byLabel(b.get("kubespanpeerspecs"))).containsOnlyKeys("node-1");
            assertThat(byLabel(c.get("kubespanpeerspecs"))).containsOnlyKeys("node-1");

            // Both services go down; a restarts and rebuilds its peers from the encrypted cache.
            s1.close();
            s2.close();
            assertThat(a.terminate()).isZero();
            a.start();
            List<JsonNode> restored = a.get("kubespanpeerspecs");
            assertThat(byLabel(restored)).containsOnlyKeys("node-2", "node-3");
            assertThat(texts(byLabel(restored).get("node-2").get("allowedIPs")))
                    .containsExactly("10.10.0.2/32", Configs.kubespanAddress(2).toString());
            assertThat(a.running.output.toString()).contains("restored 2 raw affiliate(s) from the peer cache");
        }
    }

    @Test
    void discoveryTurnedOffDeletesTheAffiliateInsteadOfLeavingAGhost() throws Exception {
        try (ServiceProcess service = ServiceProcess.start();
             AgentProcess a = agent(1, Map.of("main", service.url()));
             DiscoveryClient watcher = DiscoveryClient.create(new DiscoveryClientOptions().addEndpoint(service.url())
                     .setClusterId(Configs.CLUSTER_ID).setClusterSecret(ClusterSecret.fromBase64(Configs.SECRET)))) {
            watcher.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            a.start();
            await().atMost(30, TimeUnit.SECONDS).until(() -> watcher.affiliates().size() == 1);
            a.running.kill(); // no goodbye: the affiliate stays on the service
            a.reconfigure(Configs.offline(1));
            a.start();
            // The delete runs in the background after start; on a loaded machine a cold Vert.x client takes a while.
            await().atMost(60, TimeUnit.SECONDS).until(() -> watcher.affiliates().isEmpty());
            // The service applies the delete (and the watcher sees it) before the agent's call returns and logs it.
            await().atMost(30, TimeUnit.SECONDS)
                    .until(() -> a.running.output.toString().contains("which is no longer configured"));
            assertThat(a.get("kubespanpeerspecs")).isEmpty();
            assertThat(a.get("affiliates")).hasSize(1);
        }
    }

    private AgentProcess agent(int i, Map<String, String> services) throws Exception {
        return new AgentProcess(dir.resolve("agent-" + i), Configs.agent(i, services));
    }

    static Map<String, JsonNode> byLabel(List<JsonNode> specs) {
        Map<String, JsonNode> out = new TreeMap<>();
        specs.forEach(s -> out.put(s.get("spec").get("label").asText(), s.get("spec")));
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
