package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.DataPlaneProvider;
import dev.discoveryd.nodeclient.format.IpPrefix;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code run --data-plane linux}: wireguard-go through its UAPI socket, {@code ip} for routes and rules, {@code nft}
 * for marking. Settings beyond the ports' values come from the environment (all optional):
 * {@code KUBESPAN_DIRECT_NETWORKS} (comma-separated prefixes never forced into the tunnel),
 * {@code KUBESPAN_WIREGUARD_GO} (the binary), {@code KUBESPAN_WG_SOCKET_DIR} (default /var/run/wireguard).
 */
public final class LinuxDataPlaneProvider implements DataPlaneProvider {
    @Override
    public String name() {
        return "linux";
    }

    @Override
    public DataPlane open(Path stateDir) {
        return open(stateDir, HostCommands.local(), System.getenv());
    }

    /** The data plane with every command run through {@code cmd} (tests: inside a namespace). */
    public static DataPlane open(Path stateDir, HostCommands cmd, Map<String, String> env) {
        Path socketDir = Path.of(env.getOrDefault("KUBESPAN_WG_SOCKET_DIR", "/var/run/wireguard"));
        String wireguardGo = env.getOrDefault("KUBESPAN_WIREGUARD_GO", "wireguard-go");
        List<IpPrefix> direct = parsePrefixes(env.getOrDefault("KUBESPAN_DIRECT_NETWORKS", ""));
        Path log = stateDir.resolve("wireguard-go.log");
        return new DataPlane("linux",
                new LinuxWireGuard(name -> new KubeSpanLink(cmd, socketDir, wireguardGo, log, name)),
                new LinuxRouting(cmd), new LinuxFirewall(cmd, direct));
    }

    /** Comma-separated prefixes; a bad entry is an error naming it, never silently dropped. */
    public static List<IpPrefix> parsePrefixes(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(s -> {
            try {
                return IpPrefix.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("KUBESPAN_DIRECT_NETWORKS: bad prefix '" + s + "': " + e.getMessage());
            }
        }).toList();
    }

}
