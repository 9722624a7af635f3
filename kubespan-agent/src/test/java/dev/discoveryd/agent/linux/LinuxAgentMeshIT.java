package dev.discoveryd.agent.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.agent.linux.netns.NetnsHost;
import dev.discoveryd.agent.linux.netns.NetnsLab;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanAddressing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end: the real discoveryd jar on the lab's bridge, and one real {@code kubespan-agent run --data-plane linux}
 * process per host with its own wireguard-go. Host 3 advertises an unreachable address as its first candidate.
 */
@Tag("slow")
class LinuxAgentMeshIT {
    static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    NetnsLab lab;
    Process service;
    final List<Process> agents = new ArrayList<>();
    String hub;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : agents) {
            if (p != null) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (service != null) {
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (lab != null) {
            lab.close();
            assertThat(lab.leftovers()).isEmpty();
        }
    }

    @Test
    void agentsBuildTheMeshThroughDiscoverydAndSurviveRestarts() throws Exception {
        NetnsLab.assumeAvailable("wireguard-go", "nft", "ping", "java");
        Path agentJar = Path.of(System.getProperty("agent.jar", "target/kubespan-agent.jar"));
        Path serviceJar = Path.of(System.getProperty("service.jar", "../service/target/discoveryd.jar"));
        assumeTrue(Files.exists(agentJar) && Files.exists(serviceJar), "needs the packaged jars (mvn verify)");
        lab = NetnsLab.create();
        hub = lab.addHubAddress();
        List<NetnsHost> hosts = List.of(lab.addHost(1), lab.addHost(2), lab.addHost(3));
        List<String> before = new ArrayList<>();
        for (NetnsHost h : hosts) {
            before.add(snapshot(h));
        }
        startService(serviceJar);

        long t0 = System.nanoTime();
        for (NetnsHost h : hosts) {
            writeConfig(h, true);
            agents.add(startAgent(agentJar, h));
        }
        for (NetnsHost a : hosts) {
            for (NetnsHost b : hosts) {
                if (a != b) {
                    assertThat(pingWithin(a, ks(b), 120_000)).as(a.netns() + " -> " + b.netns()).isTrue();
                }
            }
        }
        System.out.printf("[agent-mesh] 3 agents from nothing to a full mesh (host 3's first candidate dead):"
                + " %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        // node addresses are forced into the tunnel: the receiver's WireGuard counter rises
        long rx0 = rxBytes(hosts.get(1));
        assertThat(hosts.get(0).commands().run(null, "ping", "-n", "-q", "-c", "5", "-i", "0.2", "-s", "1000", "-W",
                "1", hosts.get(1).ipv4()).ok()).isTrue();
        assertThat(rxBytes(hosts.get(1)) - rx0).isGreaterThan(5000);

        // the CLI shows every peer up with rx/tx rising (statuses are refreshed by each 30 s pass)
        long t3 = System.nanoTime();
        assertThat(waitFor(() -> upPeers(agentJar, hosts.get(0)) == 2, 70_000)).as("CLI: both peers up").isTrue();
        System.out.printf("[agent-mesh] CLI on host 1 shows both peers up %d ms after the pings went through%n",
                (System.nanoTime() - t3) / 1_000_000);
        JsonNode st1 = statuses(agentJar, hosts.get(0));
        hosts.get(0).ping(ks(hosts.get(2)), 3);
        assertThat(waitFor(() -> total(statuses(agentJar, hosts.get(0)), "receiveBytes") > total(st1, "receiveBytes")
                && total(statuses(agentJar, hosts.get(0)), "transmitBytes") > total(st1, "transmitBytes"), 70_000))
                .as("CLI: rx/tx rising").isTrue();

        // discoveryd restarted from its log: the mesh stays up meanwhile, and the agents find it again
        service.destroy();
        service.waitFor(20, TimeUnit.SECONDS);
        assertThat(hosts.get(0).ping(ks(hosts.get(1)), 2)).as("mesh up while discoveryd is down").isTrue();
        startService(serviceJar);
        long t1 = System.nanoTime();
        assertThat(waitFor(() -> affiliates(agentJar, hosts.get(0)) == 2, 60_000)).isTrue();
        System.out.printf("[agent-mesh] after a discoveryd restart the agents see each other again in %d ms%n",
                (System.nanoTime() - t1) / 1_000_000);

        // a host restarted keeps its identity and rejoins
        String key = privateKeyHex(hosts.get(1));
        Map<String, String> endpointsBefore = endpoints(hosts.get(1));
        agents.get(1).destroy();
        agents.get(1).waitFor(20, TimeUnit.SECONDS);
        agents.set(1, startAgent(agentJar, hosts.get(1)));
        long t2 = System.nanoTime();
        // wireguard-go kept the sessions: the new process adopts them, so its peers are up at its first pass and
        // no endpoint is rewritten (no flap)
        assertThat(waitFor(() -> upPeers(agentJar, hosts.get(1)) == 2, 60_000)).as("adopted: both peers up").isTrue();
        System.out.printf("[agent-mesh] restarted agent shows both peers up (adopted from WireGuard) after %d ms%n",
                (System.nanoTime() - t2) / 1_000_000);
        assertThat(endpoints(hosts.get(1))).as("WireGuard endpoints untouched by the restart").isEqualTo(endpointsBefore);
        assertThat(waitFor(() -> affiliates(agentJar, hosts.get(1)) == 2, 60_000)).as("re-registered").isTrue();
        assertThat(pingWithin(hosts.get(0), ks(hosts.get(1)), 60_000)).isTrue();
        assertThat(pingWithin(hosts.get(1), ks(hosts.get(2)), 60_000)).isTrue();
        assertThat(privateKeyHex(hosts.get(1))).isEqualTo(key);
        System.out.printf("[agent-mesh] restarted agent registered again, same key, traffic both ways, in %d ms%n",
                (System.nanoTime() - t2) / 1_000_000);

        // KubeSpan turned off: the agent removes everything it made
        agents.get(2).destroy();
        agents.get(2).waitFor(20, TimeUnit.SECONDS);
        writeConfig(hosts.get(2), false);
        agents.set(2, startAgent(agentJar, hosts.get(2)));
        assertThat(waitFor(() -> !hosts.get(2).commands().run(null, "ip", "link", "show", "kubespan").ok(), 60_000))
                .isTrue();
        assertThat(waitFor(() -> snapshot(hosts.get(2)).equals(before.get(2)), 30_000))
                .as("ip rule, table 180, nft ruleset as before").isTrue();

        // `kubespan-agent down`: refused while the agent runs, then removes everything
        NetnsHost h1 = hosts.get(0);
        List<String> down = List.of("java", "-jar", agentJar.toAbsolutePath().toString(), "down", "--state-dir",
                dir.resolve("state-1").toString());
        assertThat(h1.commands().run(null, down.toArray(String[]::new)).exitCode()).isEqualTo(2);
        agents.get(0).destroy();
        agents.get(0).waitFor(20, TimeUnit.SECONDS);
        assertThat(h1.commands().run(null, "ip", "link", "show", "kubespan").ok()).as("a stop keeps the mesh").isTrue();
        HostCommands.Result r = h1.commands().run(null, down.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(snapshot(h1)).isEqualTo(before.get(0));
    }

    private void startService(Path jar) throws Exception {
        Path log = dir.resolve("discoveryd.log");
        service = lab.spawnInHub(log, "java", "-jar", jar.toAbsolutePath().toString(), "--addr", hub + ":3000",
                "--landing-addr=", "--metrics-addr=", "--data-dir", dir.resolve("discoveryd-data").toString());
        int want = ++starts; // the log gets one "serving" line per start
        assertThat(waitFor(() -> Files.exists(log)
                && Files.readString(log).split("discoveryd serving gRPC", -1).length - 1 >= want, 60_000))
                .as("discoveryd started: " + log).isTrue();
    }

    private int starts;

    private Process startAgent(Path jar, NetnsHost h) throws Exception {
        Path state = dir.resolve("state-" + h.index());
        return h.spawn(dir.resolve("agent-" + h.index() + ".log"), "java", "-jar", jar.toAbsolutePath().toString(),
                "run", "--data-plane", "linux", "--config", dir.resolve("config-" + h.index() + ".yaml").toString(),
                "--state-dir", state.toString());
    }

    private void writeConfig(NetnsHost h, boolean kubespan) throws Exception {
        int i = h.index();
        Files.writeString(dir.resolve("config-" + i + ".yaml"), """
                version: v1alpha1
                machine:
                  type: worker
                  network:
                    hostname: host-%d
                    kubespan:
                      enabled: %s
                cluster:
                  id: %s
                  secret: %s
                  discovery:
                    enabled: true
                    registries:
                      service: { endpoint: "http://%s:3000" }
                      kubernetes: { disabled: true }
                ---
                apiVersion: v1alpha1
                kind: KubeSpanAgentConfig
                nodename: host-%d
                mac: "%s"
                addresses: [%s"%s", "%s"]
                """.formatted(i, kubespan, MeshNode.CLUSTER_ID, SECRET, hub, i, h.mac(),
                i == 3 ? "\"10.201.0.3\", " : "", h.ipv4(), h.ipv6()));
    }

    static String ks(NetnsHost h) {
        return IpText.format(KubeSpanAddressing.nodeAddress(MeshNode.SUBNET, KubeSpanAddressing.parseMac(h.mac())).ip());
    }

    static String snapshot(NetnsHost h) throws Exception {
        return h.sh("ip -4 rule; ip -6 rule; ip -4 route show table 180; ip -6 route show table 180; "
                + "ip -o link | cut -d: -f2; nft list ruleset");
    }

    private WgDeviceState wg(NetnsHost h) throws Exception {
        return new WgUapi(WgUapi.socketFor(h.wireguardDir(), "kubespan")).get();
    }

    private Map<String, String> endpoints(NetnsHost h) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        for (WgDeviceState.Peer p : wg(h).peers()) {
            out.put(p.publicKey().base64(), p.endpoint().map(Object::toString).orElse(""));
        }
        return out;
    }

    private long rxBytes(NetnsHost h) throws Exception {
        return wg(h).peers().stream().mapToLong(WgDeviceState.Peer::rxBytes).sum();
    }

    private String privateKeyHex(NetnsHost h) throws Exception {
        return wg(h).privateKey().orElseThrow().hex();
    }

    private JsonNode statuses(Path jar, NetnsHost h) throws Exception {
        return cliJson(jar, h, "get", "kubespanpeerstatuses");
    }

    private int upPeers(Path jar, NetnsHost h) throws Exception {
        int n = 0;
        for (JsonNode s : statuses(jar, h)) {
            n += s.path("spec").path("state").asText().equals("up") ? 1 : 0;
        }
        return n;
    }

    private int affiliates(Path jar, NetnsHost h) throws Exception {
        return cliJson(jar, h, "get", "affiliates").size() - 1; // the merged list includes the node itself
    }

    /** The CLI talks to the daemon through the control socket in the state directory. */
    private JsonNode cliJson(Path jar, NetnsHost h, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", jar.toAbsolutePath().toString()));
        argv.addAll(List.of(args));
        argv.addAll(List.of("-o", "json", "--state-dir", dir.resolve("state-" + h.index()).toString()));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        List<JsonNode> items = new ArrayList<>();
        JSON.readerFor(JsonNode.class).readValues(out).forEachRemaining(n -> {
            if (((JsonNode) n).isArray()) {
                ((JsonNode) n).forEach(items::add);
            } else {
                items.add((JsonNode) n);
            }
        });
        return JSON.valueToTree(items);
    }

    private static long total(JsonNode statuses, String field) {
        long t = 0;
        for (JsonNode s : statuses) {
            t += s.path("spec").path(field).asLong();
        }
        return t;
    }

    static boolean pingWithin(NetnsHost h, String dst, long ms) throws Exception {
        return waitFor(() -> h.commands().run(null, "ping", "-n", "-q", "-c", "1", "-W", "1", dst).ok(), ms);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static boolean waitFor(Check c, long ms) throws Exception {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (c.ok()) {
                return true;
            }
            Thread.sleep(250);
        }
        return c.ok();
    }
}
