package dev.discoveryd.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.discoveryd.agent.identity.KeyPairs;
import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.format.NodeId;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures (prints, does not assert timings) the agent's resident memory and idle CPU with 10 peers,
 * run with the small-footprint flags of {@link Processes#AGENT_JVM}. The peers are Talos-format
 * affiliates published from this JVM.
 */
@Tag("slow")
class AgentFootprintIT {
    @TempDir
    Path dir;

    @Test
    void rssAndIdleCpuWithTenPeers() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<DiscoveryClient> peers = new ArrayList<>();
        try (ServiceProcess service = ServiceProcess.start();
             AgentProcess agent = new AgentProcess(dir.resolve("agent"), Configs.agent(1, Map.of("main", service.url())))) {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < 10; i++) {
                String id = NodeId.generate(random);
                DiscoveryClient peer = DiscoveryClient.create(vertx, new DiscoveryClientOptions().addEndpoint(service.url())
                        .setClusterId(Configs.CLUSTER_ID).setClusterSecret(ClusterSecret.fromBase64(Configs.SECRET)).setAffiliateId(id));
                peer.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
                String ip = "10.20.0." + (i + 1);
                peer.setLocalAffiliate(new AffiliateInfo(id, "talos-" + i, "talos-" + i, "worker", "Talos (v1.12.3)",
                        List.of(IpText.parse(ip)), new KubeSpanInfo(KeyPairs.publicOf(KeyPairs.generatePrivate(random)).base64(),
                        Configs.kubespanAddress(100 + i).ip(), List.of()), null), List.of(NodeEndpoint.parse(ip + ":51820")));
                peers.add(peer);
            }
            agent.start();
            await().atMost(60, TimeUnit.SECONDS).until(() -> agent.get("kubespanpeerspecs").size() == 10);
            Thread.sleep(10_000); // let start-up work (JIT, class loading) settle before measuring idle
            long pid = agent.running.pid();
            long ticksBefore = cpuTicks(pid);
            long wallBefore = System.nanoTime();
            Thread.sleep(20_000);
            long ticks = cpuTicks(pid) - ticksBefore;
            double seconds = (System.nanoTime() - wallBefore) / 1e9;
            long rssKb = rssKb(pid);
            System.out.printf("agent footprint with 10 peers: RSS %.1f MiB, idle CPU %.2f%% of one core over %.0f s (%d ticks)%n",
                    rssKb / 1024.0, 100.0 * ticks / 100.0 / seconds, seconds, ticks);
            assertThat(agent.get("kubespanpeerstatuses")).hasSize(10);
        } finally {
            peers.forEach(DiscoveryClient::close);
            vertx.close();
        }
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in USER_HZ (100/s)
    }

    private static long rssKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }
}
