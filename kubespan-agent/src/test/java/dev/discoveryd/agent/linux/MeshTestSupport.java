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

/** Shared set-up of the mesh suites: a lab of hosts, their nodes, and probes. */
abstract class MeshTestSupport {
    @TempDir
    Path state;

    NetnsLab lab;
    final WireGuardKey psk = randomKey();
    final List<MeshNode> nodes = new ArrayList<>();

    @BeforeAll
    static void requirements() {
        NetnsLab.assumeAvailable("wireguard-go", "nft", "ping");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (lab != null) {
            lab.close();
            assertThat(lab.leftovers()).as("nothing of the lab is left on the machine").isEmpty();
        }
    }

    List<MeshNode> mesh(int n) throws Exception {
        lab = NetnsLab.create();
        for (int i = 1; i <= n; i++) {
            MeshNode node = new MeshNode(lab.addHost(i));
            node.open(state.resolve("h" + i), "");
            nodes.add(node);
        }
        return nodes;
    }

    /** Applies every node's state and returns the milliseconds until every ordered pair pings over KubeSpan. */
    long formMesh() throws Exception {
        long t0 = System.nanoTime();
        for (MeshNode n : nodes) {
            n.plane.apply(n.desired(nodes, psk, o -> true));
        }
        for (MeshNode a : nodes) {
            for (MeshNode b : nodes) {
                if (a != b) {
                    assertThat(pingUntil(a.host, b.ks(), 100)).as(a.host.netns() + " -> " + b.ks()).isTrue();
                }
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static long clearEchoes(MeshNode n) throws Exception {
        String out = n.host.sh("nft list chain inet dpprobe c");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets (\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static boolean pingUntil(NetnsHost h, String dst, int tries) throws Exception {
        for (int i = 0; i < tries; i++) {
            if (h.commands().run(null, "ping", "-n", "-q", "-c", "1", "-W", "1", dst).ok()) {
                return true;
            }
        }
        return false;
    }

    static WireGuardKey randomKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return WireGuardKey.of(b);
    }

    /** Counts echo requests from {@code from} arriving in clear on {@code n}'s eth0. */
    static void installClearProbe(MeshNode n, MeshNode from) throws Exception {
        n.host.commands().check("table inet dpprobe {\n chain c {\n type filter hook prerouting priority -300;"
                + " policy accept;\n iifname \"eth0\" ip saddr " + from.host.ipv4() + " icmp type echo-request counter\n"
                + " }\n}\n", "nft", "-f", "-");
    }
}
