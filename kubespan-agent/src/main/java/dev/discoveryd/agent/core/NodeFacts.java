package dev.discoveryd.agent.core;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** What the machine says about itself (each overridable in the config). */
public record NodeFacts(String hostname, String nodename, String machineType, String operatingSystem,
                        List<InetAddress> addresses) {
    public NodeFacts {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(nodename, "nodename");
        Objects.requireNonNull(machineType, "machineType");
        Objects.requireNonNull(operatingSystem, "operatingSystem");
        addresses = List.copyOf(addresses);
    }
}
