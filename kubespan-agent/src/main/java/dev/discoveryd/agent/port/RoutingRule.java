package dev.discoveryd.agent.port;

import java.util.Objects;

/** A policy rule: packets whose {@code fwmark & mask == fwmark} use {@code table}; {@code ip rule} priority. */
public record RoutingRule(IpFamily family, int fwmark, int mask, int priority, int table) {
    public RoutingRule {
        Objects.requireNonNull(family, "family");
        if ((fwmark & ~mask) != 0) {
            throw new IllegalArgumentException("fwmark has bits outside its mask");
        }
        if (priority < 0 || table <= 0) {
            throw new IllegalArgumentException("bad rule priority or table");
        }
    }
}
