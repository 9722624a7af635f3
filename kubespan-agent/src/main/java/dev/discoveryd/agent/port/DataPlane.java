package dev.discoveryd.agent.port;

import java.util.Objects;

/** The three data-plane ports the agent drives, with one owner: whoever opened them closes them. */
public record DataPlane(String name, WireGuard wireGuard, Routing routing, Firewall firewall) {
    public DataPlane {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(wireGuard, "wireGuard");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(firewall, "firewall");
    }

    /** Link and peers first, then routes, then marking: nothing is marked before its route exists. */
    public void apply(DataPlaneState desired) throws DataPlaneException {
        wireGuard.apply(desired.wireGuard());
        routing.apply(desired.routing());
        firewall.apply(desired.firewall());
    }

    /** The reverse order: stop marking, drop routes and rules, remove the link. Keys stay on disk. */
    public void tearDown(String linkName, int table, String firewallTable) throws DataPlaneException {
        firewall.tearDown(firewallTable);
        routing.tearDown(table);
        wireGuard.tearDown(linkName);
    }
}
