package dev.discoveryd.agent.linux;

import java.io.IOException;

/**
 * Reads and changes one WireGuard device: {@link WgUapi} for wireguard-go's socket (no process per call),
 * {@link WgTool} for a kernel device through {@code wg} (Java 17 has no netlink sockets).
 */
interface WgControl {
    WgDeviceState get() throws IOException;

    /** Applies the update as one transaction; fields left empty stay as they are. */
    void set(WgUpdate update) throws IOException;

    /** True when the device exists and answers. */
    boolean isAlive();
}
