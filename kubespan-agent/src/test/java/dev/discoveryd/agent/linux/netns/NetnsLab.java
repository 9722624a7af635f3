package dev.discoveryd.agent.linux.netns;

import dev.discoveryd.agent.linux.HostCommands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Test hosts as network namespaces on one bridge. Every name starts with a prefix unique to this lab, hosts get
 * addresses only inside their namespaces, and each host has its own mount namespace whose /run/wireguard is a
 * directory of the lab, so every host can run wireguard-go with the link name {@code kubespan} and the test reaches
 * its UAPI socket from outside. {@link #close()} removes everything, and {@link #leftovers()} proves it.
 */
public final class NetnsLab implements AutoCloseable {
    private final String prefix;
    private final Path runDir;
    private final HostCommands root = new HostCommands(List.of(), Duration.ofSeconds(20));
    private final List<NetnsHost> hosts = new ArrayList<>();
    private boolean createdRunWireguard;

    private NetnsLab(String prefix) {
        this.prefix = prefix;
        this.runDir = Path.of("/run", prefix);
    }

    /** Skips the calling test (with the reason) unless root with ip, nsenter and the listed tools. */
    public static void assumeAvailable(String... tools) {
        assumeTrue("root".equals(System.getProperty("user.name")) || uid() == 0,
                "needs root (network namespaces); run as root, as CI does");
        List<String> all = new ArrayList<>(List.of("ip", "nsenter", "unshare", "mount", "umount"));
        all.addAll(List.of(tools));
        for (String t : all) {
            assumeTrue(onPath(t), "needs '" + t + "' (apt-get install --no-install-recommends wireguard-go "
                    + "wireguard-tools nftables iproute2 iputils-ping)");
        }
    }

    public static NetnsLab create() throws IOException {
        String p = "dp" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        NetnsLab lab = new NetnsLab(p);
        try {
            lab.setUp();
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void setUp() throws IOException {
        Files.createDirectories(runDir.resolve("mnt"));
        // mount-namespace handles can only be bind-mounted on a private mount
        root.check(null, "mount", "--bind", runDir.toString(), runDir.toString());
        root.check(null, "mount", "--make-private", runDir.toString());
        if (!Files.isDirectory(Path.of("/run/wireguard"))) {
            Files.createDirectories(Path.of("/run/wireguard"));
            createdRunWireguard = true;
        }
        root.check(null, "ip", "netns", "add", hubName());
        root.check(null, "ip", "-n", hubName(), "link", "set", "lo", "up");
        root.check(null, "ip", "-n", hubName(), "link", "add", "br0", "type", "bridge");
        root.check(null, "ip", "-n", hubName(), "link", "set", "br0", "up");
    }

    public String prefix() {
        return prefix;
    }

    String hubName() {
        return prefix + "-hub";
    }

    /** Gives the bridge an address (for a service the hosts reach, e.g. discoveryd) and returns it. */
    public String addHubAddress() throws IOException {
        root.check(null, "ip", "-n", hubName(), "addr", "add", "10.200.0.254/24", "dev", "br0");
        return "10.200.0.254";
    }

    /** Starts a long-running process in the hub's network namespace (output to {@code log}). */
    public Process spawnInHub(Path log, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + hubName(), "--"));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    HostCommands rootCommands() {
        return root;
    }

    Path runDir() {
        return runDir;
    }

    /** Adds host {@code i} (1..250): eth0 with 10.200.0.i/24 and fd20:200::i/64, MAC 02:00:00:00:00:ii. */
    public NetnsHost addHost(int i) throws IOException {
        NetnsHost h = new NetnsHost(this, i);
        hosts.add(h);
        h.create();
        return h;
    }

    public List<NetnsHost> hosts() {
        return List.copyOf(hosts);
    }

    /** What is left on the machine of this lab: namespaces and mounts with its prefix (empty after close). */
    public List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>();
        for (String line : root.check(null, "ip", "netns", "list").split("\n")) {
            if (line.startsWith(prefix + "-")) {
                left.add("netns " + line.split(" ")[0]);
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (line.contains(runDir.toString())) {
                left.add("mount " + line);
            }
        }
        if (Files.exists(runDir)) {
            left.add("dir " + runDir);
        }
        return left;
    }

    @Override
    public void close() throws IOException {
        for (NetnsHost h : hosts) {
            h.destroy();
        }
        HostCommands.Result hubPids = root.run(null, "ip", "netns", "pids", hubName());
        if (hubPids.ok()) {
            for (String pid : hubPids.stdout().strip().split("\\s+")) {
                if (!pid.isBlank()) {
                    root.run(null, "kill", "-9", pid); // only processes started in this lab's hub
                }
            }
        }
        root.run(null, "ip", "netns", "del", hubName());
        root.run(null, "umount", runDir.toString());
        for (int k = 0; k < 5 && root.run(null, "umount", runDir.toString()).ok(); k++) {
            // stacked bind mounts of the run directory come off one by one
        }
        if (createdRunWireguard) {
            try {
                Files.deleteIfExists(Path.of("/run/wireguard"));
            } catch (IOException ignored) {
                // someone else put a socket there meanwhile: leave it
            }
        }
        root.run(null, "rm", "-rf", runDir.toString());
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: treated as not root
        }
        return -1;
    }
}
