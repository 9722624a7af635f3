package dev.discoveryd.agent.port;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.net.Inet6Address;
import java.util.Objects;

/** A unicast, static, scope-global route of {@code destination} out of {@code device} in {@code table}. */
public record Route(IpPrefix destination, String device, int table, int metric, int mtu) {
    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(device, "device");
        if (table <= 0 || metric < 0 || mtu < 0) {
            throw new IllegalArgumentException("bad route table, metric or MTU");
        }
    }

    public IpFamily family() {
        return destination.ip() instanceof Inet6Address ? IpFamily.INET6 : IpFamily.INET4;
    }
}
