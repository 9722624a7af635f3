package dev.discoveryd.agent.linux.netns;

import dev.discoveryd.agent.linux.HostCommands;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One test host: a network namespace plus a mount namespace, wired to the lab's bridge. */
public final class NetnsHost {
    private final NetnsLab lab;
    private final int index;

    NetnsHost(NetnsLab lab, int index) {
        if (index < 1 || index > 250) {
            throw new IllegalArgumentException("host index 1..250");
        }
        this.lab = lab;
        this.index = index;
    }

    public int index() {
        return index;
    }

    public String netns() {
        return lab.prefix() + "-h" + index;
    }

    public String mac() {
        return String.format("02:00:00:00:00:%02x", index);
    }

    public String ipv4() {
        return "10.200.0." + index;
    }

    public String ipv6() {
        return "fd20:200::" + index;
    }

    public InetAddress ipv4Address() throws IOException {
        return InetAddress.getByName(ipv4());
    }

    /** The host's /run/wireguard as seen from outside: its UAPI sockets appear here. */
    public Path wireguardDir() {
        return lab.runDir().resolve("h" + index).resolve("wg");
    }

    Path mountHandle() {
        return lab.runDir().resolve("mnt").resolve("h" + index);
    }

    /** Runs commands inside this host's network and mount namespaces. */
    public HostCommands commands() {
        return new HostCommands(List.of("nsenter", "--net=/run/netns/" + netns(), "--mount=" + mountHandle(), "--"),
                Duration.ofSeconds(20));
    }

    public String sh(String command) throws IOException {
        return commands().check(null, "sh", "-c", command);
    }

    public boolean ping(String address, int count) throws IOException {
        String family = address.contains(":") ? "-6" : "-4";
        return commands().run(null, "ping", family, "-n", "-q", "-c", String.valueOf(count), "-i", "0.2", "-W", "1",
                address).ok();
    }

    /** PIDs of processes named {@code comm} running in this host's network namespace (pidof would see them all). */
    public List<String> pidsOf(String comm) throws IOException {
        List<String> out = new ArrayList<>();
        HostCommands.Result r = lab.rootCommands().run(null, "ip", "netns", "pids", netns());
        for (String pid : r.ok() ? r.stdout().strip().split("\\s+") : new String[0]) {
            Path c = Path.of("/proc", pid, "comm");
            if (!pid.isBlank() && Files.exists(c) && Files.readString(c).strip().equals(comm)) {
                out.add(pid);
            }
        }
        return out;
    }

    /** Starts a long-running process inside this host (nsenter execs it, so the Process is the program itself). */
    public Process spawn(Path log, String... command) throws IOException {
        List<String> argv = new ArrayList<>(commands().prefix());
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    void create() throws IOException {
        HostCommands root = lab.rootCommands();
        String ns = netns();
        String veth = lab.prefix() + "v" + index;
        root.check(null, "ip", "netns", "add", ns);
        root.check(null, "ip", "-n", ns, "link", "set", "lo", "up");
        root.check(null, "ip", "link", "add", "eth0", "netns", ns, "address", mac(), "type", "veth", "peer", "name",
                veth, "netns", lab.hubName());
        root.check(null, "ip", "-n", lab.hubName(), "link", "set", veth, "master", "br0", "up");
        root.check(null, "ip", "-n", ns, "addr", "add", ipv4() + "/24", "dev", "eth0");
        root.check(null, "ip", "-n", ns, "addr", "add", ipv6() + "/64", "dev", "eth0", "nodad");
        root.check(null, "ip", "-n", ns, "link", "set", "eth0", "up");
        Files.createDirectories(wireguardDir());
        Files.createFile(mountHandle());
        root.check(null, "unshare", "--mount=" + mountHandle(), "--propagation", "private", "true");
        root.check(null, "nsenter", "--mount=" + mountHandle(), "--", "mount", "--bind", wireguardDir().toString(),
                "/run/wireguard");
    }

    /** Kills what runs in the namespace (processes the test started there), then removes namespace and handle. */
    void destroy() throws IOException {
        HostCommands root = lab.rootCommands();
        List<String> pids = new ArrayList<>();
        HostCommands.Result r = root.run(null, "ip", "netns", "pids", netns());
        if (r.ok() && !r.stdout().isBlank()) {
            pids.addAll(List.of(r.stdout().strip().split("\\s+")));
        }
        for (String pid : pids) {
            root.run(null, "kill", pid);
        }
        for (int k = 0; k < 40 && !pids.isEmpty(); k++) {
            pids.removeIf(pid -> !Files.exists(Path.of("/proc", pid)));
            sleep(50);
        }
        for (String pid : pids) {
            root.run(null, "kill", "-9", pid);
        }
        root.run(null, "ip", "netns", "del", netns());
        if (Files.exists(mountHandle())) {
            root.run(null, "umount", mountHandle().toString());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
