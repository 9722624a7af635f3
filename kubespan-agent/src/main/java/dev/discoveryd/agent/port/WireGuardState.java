package dev.discoveryd.agent.port;

import java.util.List;
import java.util.Objects;

/** The whole desired WireGuard state: the link and exactly these peers (any other peer is removed). */
public record WireGuardState(LinkConfig link, List<PeerConfig> peers) {
    public WireGuardState {
        Objects.requireNonNull(link, "link");
        peers = List.copyOf(peers);
        if (peers.stream().map(PeerConfig::publicKey).distinct().count() != peers.size()) {
            throw new IllegalArgumentException("duplicate peer public key");
        }
    }
}
