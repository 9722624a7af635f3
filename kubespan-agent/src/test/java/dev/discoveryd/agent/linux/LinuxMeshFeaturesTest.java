package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.DataPlaneState;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.WireGuardState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Endpoint rotation, directNetworks, a configurable listen port and rp_filter, on real hosts. */
@Tag("slow")
class LinuxMeshFeaturesTest extends MeshTestSupport {

    @Test
    void aPeerReachedFirstThroughADeadCandidateJoinsOnceTheNextCandidateIsSet() throws Exception {
        mesh(2);
        MeshNode a = nodes.get(0);
        MeshNode b = nodes.get(1);
        // b knows no endpoint for a (it can only answer); a's first candidate for b is dead
        b.plane.apply(withEndpoint(b, b.desired(nodes, psk, o -> true), a, Optional.empty()));
        NodeEndpoint dead = NodeEndpoint.parse("10.200.0.99:51820");
        a.plane.apply(withEndpoint(a, a.desired(nodes, psk, o -> true), b, Optional.of(dead)));
        assertThat(a.host.ping(b.ks(), 2)).as("nothing answers at the dead candidate").isFalse();
        assertThat(a.wg().peer(b.publicKey).orElseThrow().endpoint()).contains(dead);

        long t0 = System.nanoTime();
        a.plane.apply(a.desired(nodes, psk, o -> true)); // the control plane picks the next candidate
        assertThat(pingUntil(a.host, b.ks(), 30)).isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[mesh] endpoint switched from a dead candidate to a live one: traffic after %d ms%n", ms);
        assertThat(b.wg().peer(a.publicKey).orElseThrow().endpoint()).as("b learned a's endpoint from the handshake")
                .contains(a.endpoint());
    }

    @Test
    void directNetworksStayOutOfTheTunnelAndTheListenPortIsConfigurable() throws Exception {
        mesh(3);
        MeshNode a = nodes.get(0);
        MeshNode b = nodes.get(1);
        MeshNode c = nodes.get(2);
        b.listenPort = 51999;
        a.open(state.resolve("h1"), b.host.ipv4() + "/32");
        formMesh();
        assertThat(b.wg().listenPort()).isEqualTo(51999);
        assertThat(((LinuxFirewall) a.plane.firewall()).installedDirect("talos"))
                .containsExactly(IpPrefix.parse(b.host.ipv4() + "/32"));

        installClearProbe(b, a);
        long rx0 = b.rxFrom(a);
        assertThat(a.host.commands().run(null, "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-s", "1000", "-W", "1",
                b.host.ipv4()).ok()).isTrue();
        assertThat(clearEchoes(b)).as("direct network: echo requests arrive in clear").isEqualTo(3);
        assertThat(b.rxFrom(a) - rx0).as("and not through the tunnel").isLessThan(1000);

        long rxc = c.rxFrom(a);
        assertThat(a.host.commands().run(null, "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-s", "1000", "-W", "1",
                c.host.ipv4()).ok()).isTrue();
        assertThat(c.rxFrom(a) - rxc).as("other peers' node addresses stay forced").isGreaterThan(3000);
    }

    @Test
    void reversePathFilteringIsRelaxedOnlyWhereForcedIpv4NeedsIt() throws Exception {
        mesh(2);
        MeshNode a = nodes.get(0);
        MeshNode b = nodes.get(1);
        b.host.sh("echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter; echo 0 > /proc/sys/net/ipv4/conf/eth0/rp_filter;"
                + " echo 0 > /proc/sys/net/ipv4/conf/default/rp_filter");
        formMesh();
        assertThat(rp(b, "all")).isEqualTo("0");
        assertThat(rp(b, "kubespan")).isEqualTo("0");
        assertThat(rp(b, "eth0")).as("eth0 keeps its effective strict filtering").isEqualTo("1");
        assertThat(rp(b, "default")).as("new interfaces too").isEqualTo("1");
        assertThat(a.host.ping(b.host.ipv4(), 2)).as("forced IPv4 to b's node address is accepted").isTrue();

        b.host.sh("echo 2 > /proc/sys/net/ipv4/conf/all/rp_filter");
        assertThat(a.host.ping(b.host.ipv4(), 2)).as("what the setting is for: loose rp_filter drops it").isFalse();
    }

    private static String rp(MeshNode n, String iface) throws Exception {
        return n.host.sh("cat /proc/sys/net/ipv4/conf/" + iface + "/rp_filter").strip();
    }

    private static DataPlaneState withEndpoint(MeshNode self, DataPlaneState s, MeshNode peer,
                                               Optional<NodeEndpoint> endpoint) {
        List<PeerConfig> peers = s.wireGuard().peers().stream()
                .map(p -> p.publicKey().equals(peer.publicKey) ? self.peerFor(peer, p.presharedKey().orElseThrow(),
                        endpoint) : p).toList();
        return new DataPlaneState(new WireGuardState(s.wireGuard().link(), peers), s.routing(), s.firewall());
    }
}
