package dev.discoveryd.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.discoveryd.agent.config.AgentConfig;
import dev.discoveryd.agent.config.ConfigParser;
import dev.discoveryd.agent.core.AgentEvent;
import dev.discoveryd.agent.core.NodeFacts;
import dev.discoveryd.agent.daemon.Agent;
import dev.discoveryd.agent.fake.FakeRouting;
import dev.discoveryd.agent.fake.FakeWireGuard;
import dev.discoveryd.agent.fake.FakeFirewall;
import dev.discoveryd.agent.identity.KubeSpanIdentity;
import dev.discoveryd.agent.identity.KubeSpanIdentityStore;
import dev.discoveryd.agent.identity.NodeIdentityStore;
import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.agent.resource.Resource;
import dev.discoveryd.agent.resource.ResourceKind;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanAddressing;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-process agents on the fake data plane against the real discoveryd jar: harvestExtraEndpoints (only the
 * agent that has it on reports what WireGuard observed for its up peers, and a third node sees that endpoint on the
 * peer's affiliate), and a candidate the kernel would route through kubespan is never set.
 */
@Tag("slow")
class HarvestAndRefusalIT {
    private static final NodeEndpoint SEEN_BY_A = NodeEndpoint.parse("198.51.100.7:40000");
    private static final NodeEndpoint SEEN_BY_B = NodeEndpoint.parse("198.51.100.8:40001");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    record Node(Agent agent, FakeWireGuard wg, FakeRouting routing, KubeSpanIdentity identity) {
        WireGuardKey key() {
            return identity.publicKey();
        }
    }

    @Test
    void harvestReportsObservedEndpointsOnlyWhenOnAndTunnelledCandidatesAreRefused() throws Exception {
        ServiceProcess service = ServiceProcess.start();
        open.add(service);
        Node a = node(1, service, true, "10.10.0.2");
        Node b = node(2, service, false, null);
        Node c = node(3, service, false, null);

        // a: b's node address is routed through kubespan, so only b's public IP (127.0.0.1 from Hello) may be used
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(endpoints(c, "node-2")).contains("10.10.0.2:51820", "127.0.0.1:51820");
            assertThat(peer(a, b).flatMap(PeerConfig::endpoint)).contains(NodeEndpoint.parse("127.0.0.1:51820"));
            assertThat(peer(b, a).flatMap(PeerConfig::endpoint)).contains(NodeEndpoint.parse("10.10.0.1:51820"));
        });
        assertThat(a.agent().events().tail(100)).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(AgentEvent.ENDPOINT_REFUSED);
            assertThat(e.message()).contains("10.10.0.2:51820");
        });

        // b (harvest off) completes a handshake with a from an address a never advertised
        b.wg().handshake(a.key(), Clock.systemUTC().instant(), 100, 100);
        b.wg().roam(a.key(), SEEN_BY_B);
        b.agent().reconcileSoon();
        await().atMost(20, TimeUnit.SECONDS).until(() -> state(b, "node-1").equals("up"));
        // a (harvest on) does the same for b
        a.wg().handshake(b.key(), Clock.systemUTC().instant(), 100, 100);
        a.wg().roam(b.key(), SEEN_BY_A);
        a.agent().reconcileSoon();

        await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(endpoints(c, "node-2")).contains(SEEN_BY_A.toString()));
        assertThat(endpoints(c, "node-1")).as("b has harvesting off: a's affiliate is unchanged")
                .containsExactly("10.10.0.1:51820", "127.0.0.1:51820");
    }

    private Node node(int i, ServiceProcess service, boolean harvest, String tunnelled) throws Exception {
        String yaml = Configs.agent(i, Map.of("main", service.url()));
        if (harvest) {
            yaml = yaml.replaceFirst("enabled: true\n", "enabled: true\nharvestExtraEndpoints: true\n");
        }
        AgentConfig config = ConfigParser.parse(yaml).config();
        Path state = dir.resolve("node-" + i);
        java.nio.file.Files.createDirectories(state);
        String nodeId = NodeIdentityStore.loadOrCreate(state);
        KubeSpanIdentity id = KubeSpanIdentityStore.loadOrCreate(state, config.clusterId(),
                KubeSpanAddressing.parseMac(Configs.mac(i)));
        FakeWireGuard wg = new FakeWireGuard();
        FakeRouting routing = new FakeRouting();
        if (tunnelled != null) {
            routing.routeVia(IpText.parse(tunnelled), "kubespan");
        }
        Agent agent = new Agent(config, nodeId, new NodeFacts("node-" + i + ".example", "node-" + i, "worker",
                "test", List.of(IpText.parse("10.10.0." + i))), Optional.of(id),
                new DataPlane("fake", wg, routing, new FakeFirewall()), state, Clock.systemUTC());
        agent.start();
        open.add(agent);
        return new Node(agent, wg, routing, id);
    }

    private static Optional<PeerConfig> peer(Node self, Node other) {
        return Optional.ofNullable(self.wg().peers().get(other.key()));
    }

    private static List<String> endpoints(Node self, String label) {
        return self.agent().resources().list(ResourceKind.KUBESPAN_PEER_SPECS.type(), "kubespan").stream()
                .filter(r -> label.equals(r.spec().get("label"))).findFirst()
                .map(r -> strings(r.spec().get("endpoints"))).orElse(List.of());
    }

    private static String state(Node self, String label) {
        return self.agent().resources().list(ResourceKind.KUBESPAN_PEER_STATUSES.type(), "kubespan").stream()
                .map(Resource::spec).filter(s -> label.equals(s.get("label"))).findFirst()
                .map(s -> String.valueOf(s.get("state"))).orElse("");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? (List<String>) l : List.of();
    }
}
