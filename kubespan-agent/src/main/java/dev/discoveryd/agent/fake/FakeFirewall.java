package dev.discoveryd.agent.fake;

import dev.discoveryd.agent.port.Firewall;
import dev.discoveryd.agent.port.FirewallState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** nftables in memory: one installed {@link FirewallState} per table. */
public final class FakeFirewall implements Firewall {
    private final Map<String, FirewallState> tables = new HashMap<>();
    private int changes;

    @Override
    public synchronized void apply(FirewallState desired) {
        if (!desired.equals(tables.put(desired.table(), desired))) {
            changes++;
        }
    }

    @Override
    public synchronized Optional<FirewallState> installed(String table) {
        return Optional.ofNullable(tables.get(table));
    }

    @Override
    public synchronized void tearDown(String table) {
        if (tables.remove(table) != null) {
            changes++;
        }
    }

    public synchronized int changes() {
        return changes;
    }
}
