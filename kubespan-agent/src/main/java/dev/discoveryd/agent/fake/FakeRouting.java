package dev.discoveryd.agent.fake;

import dev.discoveryd.agent.port.Routing;
import dev.discoveryd.agent.port.RoutingState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Routing tables and rules in memory, one {@link RoutingState} per table. */
public final class FakeRouting implements Routing {
    private final Map<Integer, RoutingState> tables = new HashMap<>();
    private final Map<java.net.InetAddress, String> devices = new HashMap<>();
    private int changes;

    @Override
    public synchronized void apply(RoutingState desired) {
        if (!desired.equals(tables.put(desired.table(), desired))) {
            changes++;
        }
    }

    @Override
    public synchronized RoutingState installed(int table) {
        return tables.getOrDefault(table, new RoutingState(table, List.of(), List.of()));
    }

    @Override
    public synchronized void tearDown(int table) {
        if (tables.remove(table) != null) {
            changes++;
        }
    }

    /** Tests: packets to {@code address} leave through {@code device} (unset addresses: no answer). */
    public synchronized void routeVia(java.net.InetAddress address, String device) {
        devices.put(address, device);
    }

    @Override
    public synchronized java.util.Optional<String> outputDevice(java.net.InetAddress address, int mark) {
        return java.util.Optional.ofNullable(devices.get(address));
    }

    public synchronized int changes() {
        return changes;
    }
}
