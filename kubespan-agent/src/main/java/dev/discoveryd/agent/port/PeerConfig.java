package dev.discoveryd.agent.port;

import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One WireGuard peer as the control plane wants it. {@code allowedIps} replace whatever the link had.
 * {@code endpoint} empty means "leave WireGuard's current endpoint alone" (so a roamed endpoint
 * survives); present means "set exactly this endpoint".
 */
public record PeerConfig(WireGuardKey publicKey, Optional<WireGuardKey> presharedKey, Duration keepalive,
                         List<IpPrefix> allowedIps, Optional<NodeEndpoint> endpoint) {
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(25);

    public PeerConfig {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(presharedKey, "presharedKey");
        Objects.requireNonNull(keepalive, "keepalive");
        Objects.requireNonNull(endpoint, "endpoint");
        allowedIps = List.copyOf(allowedIps);
        if (keepalive.isNegative()) {
            throw new IllegalArgumentException("keepalive must not be negative");
        }
    }

    /** Same peer, but told to keep its current endpoint. */
    public PeerConfig withoutEndpoint() {
        return new PeerConfig(publicKey, presharedKey, keepalive, allowedIps, Optional.empty());
    }
}
