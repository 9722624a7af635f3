package dev.discoveryd.agent.port;

import java.util.Objects;

/** Everything the control plane wants from the data plane at one moment. */
public record DataPlaneState(WireGuardState wireGuard, RoutingState routing, FirewallState firewall) {
    public DataPlaneState {
        Objects.requireNonNull(wireGuard, "wireGuard");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(firewall, "firewall");
    }
}
