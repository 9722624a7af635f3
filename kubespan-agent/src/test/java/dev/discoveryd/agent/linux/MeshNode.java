package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.linux.netns.NetnsHost;
import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.DataPlaneState;
import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.RoutingState;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.agent.port.WireGuardState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanAddressing;
import dev.discoveryd.nodeclient.format.NodeEndpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A test host with a KubeSpan identity and the Linux data plane, driven by the test as the control plane would. */
final class MeshNode {
    static final String CLUSTER_ID = "8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=";
    static final IpPrefix SUBNET = KubeSpanAddressing.subnet(CLUSTER_ID);

    final NetnsHost host;
    final WireGuardKey privateKey;
    final WireGuardKey publicKey;
    final IpPrefix kubespanAddress; // /128
    DataPlane plane;
    int listenPort = LinkConfig.DEFAULT_PORT;

    MeshNode(NetnsHost host) throws GeneralSecurityException {
        this.host = host;
        KeyPair kp = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        byte[] priv = kp.getPrivate().getEncoded();
        byte[] pub = kp.getPublic().getEncoded();
        privateKey = WireGuardKey.of(Arrays.copyOfRange(priv, priv.length - 32, priv.length));
        publicKey = WireGuardKey.of(Arrays.copyOfRange(pub, pub.length - 32, pub.length));
        kubespanAddress = KubeSpanAddressing.nodeAddress(SUBNET, KubeSpanAddressing.parseMac(host.mac()));
    }

    /** A fresh data plane object, as a restarted agent process would have (wireguard-go keeps running). */
    DataPlane open(Path stateDir, String direct) {
        plane = LinuxDataPlaneProvider.open(stateDir, host.commands(), Map.of(
                "KUBESPAN_WG_SOCKET_DIR", host.wireguardDir().toString(), "KUBESPAN_DIRECT_NETWORKS", direct));
        return plane;
    }

    String ks() {
        return IpText.format(kubespanAddress.ip());
    }

    List<IpPrefix> nodeIps() {
        return List.of(IpPrefix.parse(host.ipv4() + "/32"), IpPrefix.parse(host.ipv6() + "/128"));
    }

    NodeEndpoint endpoint() {
        return NodeEndpoint.parse(host.ipv4() + ":" + listenPort);
    }

    LinkConfig link() {
        return new LinkConfig(LinkConfig.DEFAULT_NAME, privateKey, listenPort, LinkConfig.WIREGUARD_MARK,
                LinkConfig.DEFAULT_MTU, new IpPrefix(kubespanAddress.ip(), 64));
    }

    PeerConfig peerFor(MeshNode other, WireGuardKey psk, Optional<NodeEndpoint> endpoint) {
        List<IpPrefix> allowed = new ArrayList<>(other.nodeIps());
        allowed.add(other.kubespanAddress);
        return new PeerConfig(other.publicKey, Optional.of(psk), PeerConfig.DEFAULT_KEEPALIVE, allowed, endpoint);
    }

    /** The state a control plane would derive: every other node a peer; forced = their node IPs (ULAs left out). */
    DataPlaneState desired(List<MeshNode> all, WireGuardKey psk, Predicate<MeshNode> forced) {
        List<PeerConfig> peers = new ArrayList<>();
        List<IpPrefix> marked = new ArrayList<>();
        for (MeshNode o : all) {
            if (o == this) {
                continue;
            }
            peers.add(peerFor(o, psk, Optional.of(o.endpoint())));
            if (forced.test(o)) {
                marked.addAll(o.nodeIps());
            }
        }
        return new DataPlaneState(new WireGuardState(link(), peers), RoutingState.kubespan("kubespan",
                LinkConfig.DEFAULT_MTU), FirewallState.kubespan(marked, LinkConfig.DEFAULT_MTU));
    }

    WgDeviceState wg() throws IOException {
        return new WgUapi(WgUapi.socketFor(host.wireguardDir(), "kubespan")).get();
    }

    long rxFrom(MeshNode other) throws IOException {
        return wg().peer(other.publicKey).map(WgDeviceState.Peer::rxBytes).orElse(0L);
    }

    /** The host's routing and firewall state as text, to compare before and after. */
    String snapshot() throws IOException {
        return host.sh("ip -4 rule; ip -6 rule; ip -4 route show table 180; ip -6 route show table 180; "
                + "ip -4 route; ip -6 route; ip -o link | cut -d: -f2; nft list ruleset");
    }
}
