package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a WireGuard device reports on {@code get=1}: its own settings and every peer with its counters. */
public record WgDeviceState(Optional<WireGuardKey> privateKey, int listenPort, int fwmark, List<Peer> peers) {

    public WgDeviceState {
        peers = List.copyOf(peers);
    }

    public Optional<Peer> peer(WireGuardKey publicKey) {
        return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
    }

    /**
     * One peer. {@code lastHandshake} is {@link Instant#EPOCH} when no handshake ever completed (WireGuard reports 0).
     */
    public record Peer(WireGuardKey publicKey, Optional<WireGuardKey> presharedKey, Optional<NodeEndpoint> endpoint,
                       Instant lastHandshake, long rxBytes, long txBytes, int keepaliveSeconds,
                       List<IpPrefix> allowedIps) {
        public Peer {
            allowedIps = List.copyOf(allowedIps);
        }
    }
}
