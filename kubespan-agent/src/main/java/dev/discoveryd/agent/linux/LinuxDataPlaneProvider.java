package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.DataPlaneException;
import dev.discoveryd.agent.port.DataPlaneOptions;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinuxDataPlaneProvider.class);

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public DataPlane open(Path stateDir) {
        return open(stateDir, HostCommands.local(), System.getenv());
    }

    @Override
    public DataPlane open(Path stateDir, DataPlaneOptions options) throws DataPlaneException {
        return open(stateDir, HostCommands.local(), System.getenv(), options);
    }

    /** The data plane with every command run through {@code cmd} (tests: inside a namespace). */
    public static DataPlane open(Path stateDir, HostCommands cmd, Map<String, String> env) {
        try {
            return open(stateDir, cmd, env, DataPlaneOptions.DEFAULT);
        } catch (DataPlaneException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * {@code directNetworks} come from the config ({@code KubeSpanAgentConfig.directNetworks}) or, for older set-ups,
     * the environment; both at once is refused, so that no operator wonders which one is in force.
     */
    public static DataPlane open(Path stateDir, HostCommands cmd, Map<String, String> env, DataPlaneOptions options)
            throws DataPlaneException {
        Path socketDir = Path.of(env.getOrDefault("KUBESPAN_WG_SOCKET_DIR", "/var/run/wireguard"));
        String wireguardGo = env.getOrDefault("KUBESPAN_WIREGUARD_GO", "wireguard-go");
        List<IpPrefix> fromEnv;
        try {
            fromEnv = parsePrefixes(env.getOrDefault("KUBESPAN_DIRECT_NETWORKS", ""));
        } catch (IllegalArgumentException e) {
            throw new DataPlaneException(e.getMessage(), e);
        }
        if (!fromEnv.isEmpty() && !options.directNetworks().isEmpty()) {
            throw new DataPlaneException("direct networks are set both in KubeSpanAgentConfig.directNetworks and in"
                    + " KUBESPAN_DIRECT_NETWORKS; keep one");
        }
        List<IpPrefix> direct = fromEnv.isEmpty() ? options.directNetworks() : fromEnv;
        Path log = stateDir.resolve("wireguard-go.log");
        boolean kernel = useKernel(cmd, options.wireGuard());
        return new DataPlane("linux",
                new LinuxWireGuard(name -> new KubeSpanLink(cmd, socketDir, wireguardGo, log, name, kernel)),
                new LinuxRouting(cmd), new LinuxFirewall(cmd, direct));
    }

    /**
     * {@code kernel} and {@code userspace} are taken as said (a kernel without WireGuard then fails on the first
     * configure, naming the cause); {@code auto} uses the kernel when it can make WireGuard links and {@code wg}
     * is installed, else wireguard-go. The choice is logged once.
     */
    static boolean useKernel(HostCommands cmd, String mode) throws DataPlaneException {
        switch (mode) {
            case "kernel":
                LOG.info("WireGuard: kernel (configured with wg), as configured");
                return true;
            case "userspace":
                LOG.info("WireGuard: userspace wireguard-go, as configured");
                return false;
            case "auto":
                break;
            default:
                throw new DataPlaneException("unknown WireGuard mode \"" + mode + "\" (auto, kernel or userspace)");
        }
        try {
            java.util.Optional<String> unsupported = KubeSpanLink.kernelUnsupported(cmd);
            if (unsupported.isPresent()) {
                LOG.info("WireGuard: userspace wireguard-go (the kernel cannot make WireGuard links: {})", unsupported.get());
                return false;
            }
            if (!cmd.run(null, "wg", "--version").ok()) {
                LOG.info("WireGuard: userspace wireguard-go (the kernel has WireGuard but wg is not installed)");
                return false;
            }
        } catch (java.io.IOException e) {
            LOG.info("WireGuard: userspace wireguard-go (checking for kernel WireGuard failed: {})", e.getMessage());
            return false;
        }
        LOG.info("WireGuard: kernel (module present; configured with wg)");
        return true;
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
