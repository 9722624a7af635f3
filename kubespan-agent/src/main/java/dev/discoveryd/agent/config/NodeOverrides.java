package dev.discoveryd.agent.config;

import java.net.InetAddress;
import java.util.List;

/** Node-local facts given in the config instead of read from the machine; null = read from the machine. */
public record NodeOverrides(String hostname, String nodename, String machineType, String operatingSystem,
                            List<InetAddress> addresses, String mac) {
    public static final NodeOverrides NONE = new NodeOverrides(null, null, null, null, null, null);

    public NodeOverrides {
        addresses = addresses == null ? null : List.copyOf(addresses);
    }
}
