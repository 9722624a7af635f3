package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.linux.netns.NetnsHost;
import dev.discoveryd.agent.linux.netns.NetnsLab;
import dev.discoveryd.agent.port.DataPlaneState;
import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.RoutingState;
import dev.discoveryd.agent.port.WireGuardKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux data plane on real hosts: network namespaces on a bridge, one wireguard-go each, routes and nftables
 * applied by the adapters exactly as the agent applies them. Needs root, wireguard-go and nft; skipped otherwise.
 */
@Tag("slow")
class LinuxMeshTest extends MeshTestSupport {
    @Test
    void threeHostMeshFormsForcesNodeTrafficIntoTheTunnelAndLeavesNothingBehind() throws Exception {
        mesh(3);
        List<String> before = new ArrayList<>();
        for (MeshNode n : nodes) {
            before.add(n.snapshot());
        }
        long ms = formMesh();
        System.out.printf("[mesh] 3 hosts: full mesh (apply + every pair pinging over KubeSpan) in %d ms%n", ms);

        MeshNode a = nodes.get(0);
        MeshNode b = nodes.get(1);
        MeshNode c = nodes.get(2);
        for (String dst : List.of(b.host.ipv4(), b.host.ipv6())) {
            long rx0 = b.rxFrom(a);
            assertThat(a.host.commands().run(null, "ping", "-n", "-q", "-c", "5", "-i", "0.2", "-s", "1000", "-W", "1",
                    dst).ok()).as("ping " + dst).isTrue();
            long rx = b.rxFrom(a) - rx0;
            System.out.printf("[mesh] node address %s: receiver's WireGuard counter for the sender rose %d bytes%n",
                    dst, rx);
            assertThat(rx).as("5 x 1000-byte pings to a node address went through the tunnel").isGreaterThan(5000);
        }
        assertThat(a.host.sh("ip route get " + c.host.ipv4() + " mark 0x40")).contains("dev kubespan");

        // repeating the same state changes nothing: no nft transaction, one rule per family
        LinuxFirewall fw = (LinuxFirewall) a.plane.firewall();
        int tx = fw.transactions();
        a.plane.apply(a.desired(nodes, psk, o -> true));
        assertThat(fw.transactions()).isEqualTo(tx);
        assertThat(a.host.sh("ip -4 rule show priority 32500; ip -6 rule show priority 32500").strip().split("\n"))
                .hasSize(2);

        // an endpoint candidate whose route (for WireGuard's own marked packets) is the tunnel itself is refused
        LinuxRouting routing = (LinuxRouting) a.plane.routing();
        assertThat(routing.outputDevice(c.kubespanAddress.ip(), LinkConfig.WIREGUARD_MARK)).contains("kubespan");
        assertThat(routing.outputDevice(c.host.ipv4Address(), LinkConfig.WIREGUARD_MARK)).contains("eth0");

        // KubeSpan turned off / `kubespan-agent down` (a separate process: fresh adapters): everything goes
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).open(state.resolve("down" + i), "");
            nodes.get(i).plane.tearDown(LinkConfig.DEFAULT_NAME, RoutingState.KUBESPAN_TABLE,
                    FirewallState.TALOS_TABLE);
            assertThat(nodes.get(i).snapshot()).isEqualTo(before.get(i));
        }
        assertThat(a.host.ping(b.host.ipv4(), 1)).as("the underlay still works").isTrue();
    }

    @Test
    void aDownPeerIsDroppedNeverSentInClearAndBypassSendsItDirect() throws Exception {
        mesh(3);
        formMesh();
        MeshNode a = nodes.get(0);
        MeshNode c = nodes.get(2);
        installClearProbe(c, a);
        c.plane.wireGuard().tearDown(LinkConfig.DEFAULT_NAME); // c's WireGuard stops

        assertThat(a.host.ping(c.host.ipv4(), 3)).as("forced routing: no way to c while its tunnel is down").isFalse();
        assertThat(clearEchoes(c)).as("no echo request reached c in clear").isZero();
        long tx = a.wg().peer(c.publicKey).orElseThrow().txBytes();
        System.out.printf("[mesh] peer down, forced: 0 clear-text packets at the peer; sender's WireGuard tx %d bytes%n",
                tx);

        // allowDownPeerBypass: the control plane leaves down peers out of the marked set
        a.plane.firewall().apply(a.desired(nodes, psk, o -> o != c).firewall());
        assertThat(a.host.ping(c.host.ipv4(), 3)).as("bypass: direct over the underlay").isTrue();
        assertThat(clearEchoes(c)).as("the echo requests now arrive in clear, as bypass means").isGreaterThan(0);
    }

    @Test
    void aRestartAdoptsWhatItFindsRemovesDuplicatesAndRepairsTamperedRules() throws Exception {
        mesh(2);
        formMesh();
        MeshNode a = nodes.get(0);
        MeshNode b = nodes.get(1);
        List<String> wgPid = a.host.pidsOf("wireguard-go");
        assertThat(wgPid).hasSize(1);
        // what a crash could leave: a second copy of a rule, a stray route, chains edited by hand
        a.host.sh("ip -4 rule add fwmark 0x40/0x60 table 180 priority 32500; ip -6 route add fd99::/64 dev kubespan "
                + "table 180; nft flush chain inet talos kubespan_outgoing");
        a.open(state.resolve("h1"), ""); // a new agent process: new adapter objects, same host
        DataPlaneState want = a.desired(nodes, psk, o -> true);
        a.plane.apply(want);
        assertThat(a.host.sh("ip -4 rule show priority 32500").strip().split("\n")).hasSize(1);
        assertThat(a.plane.routing().installed(RoutingState.KUBESPAN_TABLE).routes()).containsExactlyInAnyOrderElementsOf(
                want.routing().routes());
        assertThat(a.plane.firewall().installed(FirewallState.TALOS_TABLE)).isPresent().get()
                .extracting(FirewallState::markedDestinations).isEqualTo(want.firewall().markedDestinations());
        assertThat(((LinuxFirewall) a.plane.firewall()).transactions()).as("tampered chains rewritten once").isEqualTo(1);
        assertThat(a.host.pidsOf("wireguard-go")).as("the running wireguard-go was adopted").isEqualTo(wgPid);
        assertThat(a.host.ping(b.host.ipv4(), 2)).isTrue();
        a.plane.apply(want);
        assertThat(((LinuxFirewall) a.plane.firewall()).transactions()).isEqualTo(1);

        // wireguard-go itself killed: its socket file stays behind, the link goes; the next pass starts a new one
        a.host.sh("kill -9 " + wgPid.get(0)); // only a's own wireguard-go, started by this test
        assertThat(MeshTestSupport.pingUntil(a.host, b.ks(), 1)).isFalse();
        a.plane.apply(want);
        assertThat(a.host.pidsOf("wireguard-go")).hasSize(1).isNotEqualTo(wgPid);
        boolean back = pingUntil(a.host, b.ks(), 20);
        assertThat(back).as("mesh back after a wireguard-go crash: " + (back ? "" : a.host.sh(
                "ip addr show dev kubespan; ip -6 route; ip -6 rule; wg show kubespan; ls -la /run/wireguard"))).isTrue();
    }
}
