package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.net.Inet6Address;
import java.util.List;
import java.util.Optional;

/**
 * One {@code set=1} transaction of the WireGuard configuration protocol: device fields and peer changes, applied by
 * the device as a whole. Empty optionals leave the field as it is.
 */
public record WgUpdate(Optional<WireGuardKey> privateKey, Optional<Integer> listenPort, Optional<Integer> fwmark,
                       boolean replacePeers, List<PeerUpdate> peers) {

    public WgUpdate {
        peers = List.copyOf(peers);
    }

    public static WgUpdate peersOnly(List<PeerUpdate> peers) {
        return new WgUpdate(Optional.empty(), Optional.empty(), Optional.empty(), false, peers);
    }

    public boolean isEmpty() {
        return privateKey.isEmpty() && listenPort.isEmpty() && fwmark.isEmpty() && !replacePeers && peers.isEmpty();
    }

    /** A peer to remove, or to create/update; allowed IPs, when given, replace the peer's current ones. */
    public record PeerUpdate(WireGuardKey publicKey, boolean remove, Optional<WireGuardKey> presharedKey,
                             Optional<NodeEndpoint> endpoint, Optional<Integer> keepaliveSeconds,
                             Optional<List<IpPrefix>> replaceAllowedIps) {

        public static PeerUpdate removal(WireGuardKey publicKey) {
            return new PeerUpdate(publicKey, true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** The request body, in the protocol's key=value lines, ending with the blank line that submits it. */
    String render() {
        StringBuilder b = new StringBuilder("set=1\n");
        privateKey.ifPresent(k -> b.append("private_key=").append(k.hex()).append('\n'));
        listenPort.ifPresent(p -> b.append("listen_port=").append(p).append('\n'));
        fwmark.ifPresent(m -> b.append("fwmark=").append(m).append('\n'));
        if (replacePeers) {
            b.append("replace_peers=true\n");
        }
        for (PeerUpdate p : peers) {
            b.append("public_key=").append(p.publicKey().hex()).append('\n');
            if (p.remove()) {
                b.append("remove=true\n");
                continue;
            }
            p.presharedKey().ifPresent(k -> b.append("preshared_key=").append(k.hex()).append('\n'));
            p.endpoint().ifPresent(e -> b.append("endpoint=").append(e).append('\n'));
            p.keepaliveSeconds().ifPresent(k -> b.append("persistent_keepalive_interval=").append(k).append('\n'));
            p.replaceAllowedIps().ifPresent(ips -> {
                b.append("replace_allowed_ips=true\n");
                for (IpPrefix ip : ips) {
                    b.append("allowed_ip=").append(ip).append('\n');
                }
            });
        }
        return b.append('\n').toString();
    }
}
