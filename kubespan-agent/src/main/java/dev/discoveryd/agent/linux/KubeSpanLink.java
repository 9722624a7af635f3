package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code kubespan} link. Userspace: wireguard-go, started once (it daemonizes and outlives us, so a restarted
 * agent adopts it through its socket) and configured through UAPI. Kernel: {@code ip link add ... type wireguard},
 * configured with {@code wg} ({@link WgTool}). Either way given MTU, state and the KubeSpan address with {@code ip}.
 * Also owns the receiver-side rp_filter setting that forced IPv4 traffic needs.
 */
public final class KubeSpanLink {
    private static final Logger LOG = LoggerFactory.getLogger(KubeSpanLink.class);
    private static final ObjectMapper JSON = new ObjectMapper();



    private final HostCommands cmd;
    private final Path socketDir;
    private final String wireguardGo;
    private final Path daemonLog;
    private final String name;
    private final boolean kernel;

    /** A userspace (wireguard-go) link. */
    public KubeSpanLink(HostCommands cmd, Path socketDir, String wireguardGo, Path daemonLog, String name) {
        this(cmd, socketDir, wireguardGo, daemonLog, name, false);
    }

    /** {@code kernel}: the kernel's WireGuard (key files for {@code wg} go next to {@code daemonLog}). */
    public KubeSpanLink(HostCommands cmd, Path socketDir, String wireguardGo, Path daemonLog, String name, boolean kernel) {
        this.cmd = cmd;
        this.socketDir = socketDir;
        this.wireguardGo = wireguardGo;
        this.daemonLog = daemonLog;
        this.name = name;
        this.kernel = kernel;
    }

    public String name() {
        return name;
    }

    public boolean kernel() {
        return kernel;
    }

    public WgUapi uapi() {
        return new WgUapi(WgUapi.socketFor(socketDir, name));
    }

    /** How the device is read and changed: UAPI for wireguard-go, {@code wg} for the kernel. */
    WgControl control() {
        return kernel ? new WgTool(cmd, name, daemonLog.toAbsolutePath().getParent().resolve("wg-keys")) : uapi();
    }

    /**
     * Creates or adopts the link and brings it to {@code c}; cheap when nothing changed (one get, one ip call).
     * Returns true when the link was created.
     */
    public boolean ensure(LinkConfig c) throws IOException {
        if (kernel) {
            return ensureKernel(c);
        }
        boolean created = false;
        WgUapi uapi = uapi();
        WgDeviceState st;
        if (uapi.isAlive()) {
            st = uapi.get();
        } else {
            if (linkExists()) {
                // a link with our name nobody serves (a kernel or foreign device, or one being torn down): replace it
                LOG.warn("link {} exists without a WireGuard socket at {}; replacing it", name, uapi.socket());
                cmd.run(null, "ip", "link", "del", name);
            }
            cmd.launchDaemon(daemonLog, Map.of("LOG_LEVEL", "error"), wireguardGo, name);
            waitAlive(uapi);
            LOG.info("started wireguard-go for link {} (socket {})", name, uapi.socket());
            st = uapi.get();
            created = true;
        }
        deviceSettings(uapi, st, c);
        ensureLinkAndAddress(c);
        return created;
    }

    /** Kernel mode: adopt a kernel WireGuard link of our name, replace anything else of that name, else create one. */
    private boolean ensureKernel(LinkConfig c) throws IOException {
        boolean created = false;
        String kind = linkKind();
        if (kind != null && !kind.equals("wireguard")) {
            LOG.warn("link {} exists but is a {} device, not kernel WireGuard; replacing it", name, kind.isEmpty() ? "plain" : kind);
            cmd.run(null, "ip", "link", "del", name);
            kind = null;
        }
        if (kind == null) {
            HostCommands.Result r = cmd.run(null, "ip", "link", "add", name, "type", "wireguard");
            if (!r.ok()) {
                throw new IOException("kernel WireGuard: 'ip link add " + name + " type wireguard' failed: " + r.stderr()
                        + " (no wireguard module? set KubeSpanAgentConfig.wireguard to userspace or auto)");
            }
            LOG.info("created kernel WireGuard link {}", name);
            created = true;
        }
        WgControl wg = control();
        deviceSettings(wg, wg.get(), c);
        ensureLinkAndAddress(c);
        return created;
    }

    private static void deviceSettings(WgControl wg, WgDeviceState st, LinkConfig c) throws IOException {
        boolean keyOk = st.privateKey().map(k -> k.equals(c.privateKey())).orElse(false);
        if (!keyOk || st.listenPort() != c.listenPort() || st.fwmark() != c.firewallMark()) {
            wg.set(new WgUpdate(Optional.of(c.privateKey()), Optional.of(c.listenPort()), Optional.of(c.firewallMark()),
                    false, java.util.List.of()));
        }
    }

    /** The link's kind ("wireguard", "tun", "" for none given), or null when there is no such link. */
    String linkKind() throws IOException {
        HostCommands.Result r = cmd.run(null, "ip", "-j", "-d", "link", "show", "dev", name);
        if (!r.ok()) {
            return null;
        }
        return JSON.readTree(r.stdout()).path(0).path("linkinfo").path("info_kind").asText("");
    }

    /**
     * Whether this host's kernel can make WireGuard links: the module is loaded (or built in), or creating a probe
     * link succeeds (which loads it), as wg-quick decides. Returns the reason when it cannot.
     */
    static Optional<String> kernelUnsupported(HostCommands cmd) throws IOException {
        if (cmd.run(null, "test", "-d", "/sys/module/wireguard").ok()) {
            return Optional.empty();
        }
        String probe = "ksprobe" + Long.toHexString(System.nanoTime() & 0xffffffL);
        HostCommands.Result r = cmd.run(null, "ip", "link", "add", probe, "type", "wireguard");
        if (r.ok()) {
            cmd.run(null, "ip", "link", "del", probe);
            return Optional.empty();
        }
        return Optional.of(r.stderr().isBlank() ? "exit " + r.exitCode() : r.stderr().strip());
    }

    private void ensureLinkAndAddress(LinkConfig c) throws IOException {
        JsonNode links = JSON.readTree(cmd.check(null, "ip", "-j", "addr", "show", "dev", name));
        JsonNode link = links.path(0);
        if (link.path("mtu").asInt() != c.mtu() || !link.path("flags").toString().contains("\"UP\"")) {
            cmd.check(null, "ip", "link", "set", name, "mtu", String.valueOf(c.mtu()), "up");
        }
        String want = IpText.format(c.address().ip());
        boolean have = false;
        for (JsonNode a : link.path("addr_info")) {
            String local = a.path("local").asText();
            if (!"global".equals(a.path("scope").asText())) {
                continue;
            }
            if (local.equals(want) && a.path("prefixlen").asInt() == c.address().bits()) {
                have = true;
            } else {
                // an old KubeSpan address (new cluster ID or MAC) must not linger as a second /64
                cmd.check(null, "ip", "addr", "del", local + "/" + a.path("prefixlen").asInt(), "dev", name);
                LOG.info("removed stale address {} from {}", local, name);
            }
        }
        if (!have) {
            cmd.check(null, "ip", "-6", "addr", "replace", want + "/" + c.address().bits(), "dev", name, "nodad");
        }
    }

    public boolean linkExists() throws IOException {
        return cmd.run(null, "ip", "link", "show", "dev", name).ok();
    }

    /** Deletes the link; wireguard-go exits when its TUN goes away. Keys live elsewhere and stay. */
    public boolean remove() throws IOException {
        if (!linkExists()) {
            return false;
        }
        cmd.check(null, "ip", "link", "del", name);
        WgUapi uapi = uapi();
        for (int i = 0; !kernel && i < 100 && uapi.isAlive(); i++) {
            pause(20);
        }
        LOG.info("removed link {}", name);
        return true;
    }

    /**
     * Forced IPv4 traffic arrives on {@code kubespan}, which has no IPv4 address, so any reverse-path filter drops
     * it (the effective value is the max of conf.all and conf.kubespan). Sets conf.kubespan to 0; when conf.all is
     * not 0, first raises every other interface (and conf.default) to at least that value, so their effective
     * filtering stays what it was, then sets conf.all to 0. Returns what changed, which is also logged.
     */
    public Optional<String> relaxReversePathFilter() throws IOException {
        java.util.List<String> changed = new java.util.ArrayList<>();
        int all = readRp("all");
        if (all != 0) {
            for (String iface : cmd.check(null, "ls", "/proc/sys/net/ipv4/conf").split("\\s+")) {
                if (iface.isBlank() || iface.equals("all") || iface.equals(name) || iface.equals("lo")) {
                    continue;
                }
                int v = readRp(iface);
                if (v < all) {
                    writeRp(iface, all, changed, v);
                }
            }
            writeRp("all", 0, changed, all);
        }
        int own = readRp(name);
        if (own != 0) {
            writeRp(name, 0, changed, own);
        }
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        String text = String.join(", ", changed);
        LOG.info("rp_filter: {} (IPv4 forced into {} arrives on a link without IPv4 address)", text, name);
        return Optional.of(text);
    }

    private int readRp(String iface) throws IOException {
        String v = cmd.check(null, "cat", "/proc/sys/net/ipv4/conf/" + iface + "/rp_filter").strip();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IOException("unreadable rp_filter for " + iface + ": " + v);
        }
    }

    private void writeRp(String iface, int value, java.util.List<String> changed, int old) throws IOException {
        cmd.check(value + "\n", "tee", "/proc/sys/net/ipv4/conf/" + iface + "/rp_filter");
        changed.add("net.ipv4.conf." + iface + ".rp_filter " + old + " -> " + value);
    }

    private void waitAlive(WgUapi uapi) throws IOException {
        for (int i = 0; i < 250; i++) {
            if (uapi.isAlive()) {
                return;
            }
            pause(20);
        }
        throw new IOException("wireguard-go started but its socket " + uapi.socket() + " did not answer within 5 s"
                + " (see " + daemonLog + ")");
    }

    private static void pause(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
