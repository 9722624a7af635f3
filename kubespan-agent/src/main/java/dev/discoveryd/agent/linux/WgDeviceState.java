package dev.discoveryd.agent.linux;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a WireGuard device reports on {@code get=1}: its own settings and every peer with its counters. */
public record WgDeviceState(Optional<WgKey> privateKey, int listenPort, int fwmark, List<Peer> peers) {

    public WgDeviceState {
        peers = List.copyOf(peers);
    }

    public Optional<Peer> peer(WgKey publicKey) {
        return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
    }

    /**
     * One peer. {@code lastHandshake} is {@link Instant#EPOCH} when no handshake ever completed (WireGuard reports 0).
     */
    public record Peer(WgKey publicKey, Optional<WgKey> presharedKey, Optional<InetSocketAddress> endpoint,
                       Instant lastHandshake, long rxBytes, long txBytes, int keepaliveSeconds,
                       List<IpPrefix> allowedIps) {
        public Peer {
            allowedIps = List.copyOf(allowedIps);
        }
    }
}
