package dev.discoveryd.agent.port;

import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What WireGuard reports about one peer: last handshake (none yet: empty), byte counters, current endpoint. */
public record PeerStats(WireGuardKey publicKey, Optional<Instant> lastHandshake, long rxBytes, long txBytes,
                        Optional<NodeEndpoint> endpoint) {
    public PeerStats {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(lastHandshake, "lastHandshake");
        Objects.requireNonNull(endpoint, "endpoint");
        if (rxBytes < 0 || txBytes < 0) {
            throw new IllegalArgumentException("byte counters must not be negative");
        }
    }

    public static PeerStats none(WireGuardKey publicKey) {
        return new PeerStats(publicKey, Optional.empty(), 0, 0, Optional.empty());
    }
}
