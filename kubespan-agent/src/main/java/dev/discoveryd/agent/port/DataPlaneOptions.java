package dev.discoveryd.agent.port;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.util.List;
import java.util.Objects;

/**
 * What the agent's config says about the data plane: {@code directNetworks} (destinations never forced into the
 * tunnel) and {@code wireGuard}, the WireGuard implementation ({@code auto}: the kernel's when it has one, else
 * userspace; {@code kernel}; {@code userspace}).
 */
public record DataPlaneOptions(List<IpPrefix> directNetworks, String wireGuard) {
    public static final DataPlaneOptions DEFAULT = new DataPlaneOptions(List.of(), "auto");

    public DataPlaneOptions {
        directNetworks = List.copyOf(directNetworks);
        Objects.requireNonNull(wireGuard, "wireGuard");
    }
}
