package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A kernel WireGuard device driven through wireguard-tools: {@code wg show IF dump} to read (one process per
 * reconcile), {@code wg set} to change (only when something differs). The kernel's own interface is generic netlink,
 * which Java 17 cannot open without native code. {@code wg} takes keys only from files: they are written, 0600, to a
 * private directory next to the identity that already holds them, and deleted after the call.
 */
final class WgTool implements WgControl {
    private final HostCommands cmd;
    private final String iface;
    private final Path keyDir;

    WgTool(HostCommands cmd, String iface, Path keyDir) {
        this.cmd = cmd;
        this.iface = iface;
        this.keyDir = keyDir;
    }

    @Override
    public WgDeviceState get() throws IOException {
        HostCommands.Result r = cmd.run(null, "wg", "show", iface, "dump");
        if (!r.ok()) {
            throw new IOException("'wg show " + iface + " dump' failed (exit " + r.exitCode() + "): " + r.stderr());
        }
        return parseDump(r.stdout());
    }

    @Override
    public boolean isAlive() {
        try {
            return cmd.run(null, "wg", "show", iface, "listen-port").ok();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void set(WgUpdate update) throws IOException {
        if (update.isEmpty()) {
            return;
        }
        if (update.replacePeers()) {
            throw new IOException("wg set cannot replace all peers at once; remove them by key");
        }
        Map<WireGuardKey, Path> files = new LinkedHashMap<>();
        try {
            List<String> argv = arguments(update, key -> files.computeIfAbsent(key, this::keyFile));
            HostCommands.Result r = cmd.run(null, argv.toArray(String[]::new));
            if (!r.ok()) {
                throw new IOException("'wg set " + iface + "' failed (exit " + r.exitCode() + "): " + r.stderr());
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (Path f : files.values()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** {@code wg set} arguments for the update; {@code keyFiles} gives the file a key is read from. */
    List<String> arguments(WgUpdate u, java.util.function.Function<WireGuardKey, Path> keyFiles) {
        List<String> a = new ArrayList<>(List.of("wg", "set", iface));
        u.privateKey().ifPresent(k -> a.addAll(List.of("private-key", keyFiles.apply(k).toString())));
        u.listenPort().ifPresent(p -> a.addAll(List.of("listen-port", String.valueOf(p))));
        u.fwmark().ifPresent(m -> a.addAll(List.of("fwmark", m == 0 ? "off" : "0x" + Integer.toHexString(m))));
        for (WgUpdate.PeerUpdate p : u.peers()) {
            a.addAll(List.of("peer", p.publicKey().base64()));
            if (p.remove()) {
                a.add("remove");
                continue;
            }
            p.presharedKey().ifPresent(k -> a.addAll(List.of("preshared-key", keyFiles.apply(k).toString())));
            p.endpoint().ifPresent(e -> a.addAll(List.of("endpoint", e.toString())));
            p.keepaliveSeconds().ifPresent(k -> a.addAll(List.of("persistent-keepalive", k == 0 ? "off" : String.valueOf(k))));
            p.replaceAllowedIps().ifPresent(ips -> a.addAll(List.of("allowed-ips",
                    ips.stream().map(IpPrefix::toString).collect(Collectors.joining(",")))));
        }
        return a;
    }

    private Path keyFile(WireGuardKey key) {
        try {
            Files.createDirectories(keyDir);
            Files.setPosixFilePermissions(keyDir, PosixFilePermissions.fromString("rwx------"));
            Path f = Files.createTempFile(keyDir, "key", "", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, key.base64() + "\n", StandardCharsets.US_ASCII);
            return f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write a key file in " + keyDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code wg show IF dump}: a device line (private key, public key, listen port, fwmark or "off"), then one line per
     * peer (public key, preshared key, endpoint, allowed IPs, latest handshake in seconds, rx, tx, keepalive or "off"),
     * tab-separated, "(none)" for an absent value.
     */
    static WgDeviceState parseDump(String text) throws IOException {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IOException("empty 'wg show dump' output");
        }
        try {
            String[] dev = fields(lines.get(0), 4);
            Optional<WireGuardKey> priv = none(dev[0]) ? Optional.empty() : WgUapi.nonZero(new WireGuardKey(dev[0]));
            int port = Integer.parseInt(dev[2]);
            int fwmark = dev[3].equals("off") ? 0 : Integer.decode(dev[3]);
            List<WgDeviceState.Peer> peers = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = fields(line, 8);
                Optional<WireGuardKey> psk = none(f[1]) ? Optional.empty() : WgUapi.nonZero(new WireGuardKey(f[1]));
                Optional<NodeEndpoint> endpoint = none(f[2]) ? Optional.empty() : Optional.of(NodeEndpoint.parse(f[2]));
                List<IpPrefix> allowed = none(f[3]) ? List.of()
                        : java.util.Arrays.stream(f[3].split(",")).map(IpPrefix::parse).toList();
                int keepalive = f[7].equals("off") ? 0 : Integer.parseInt(f[7]);
                peers.add(new WgDeviceState.Peer(new WireGuardKey(f[0]), psk, endpoint,
                        Instant.ofEpochSecond(Long.parseLong(f[4])), Long.parseLong(f[5]), Long.parseLong(f[6]),
                        keepalive, allowed));
            }
            return new WgDeviceState(priv, port, fwmark, peers);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad 'wg show dump' output: " + e.getMessage(), e);
        }
    }

    private static String[] fields(String line, int n) throws IOException {
        String[] f = line.split("\t");
        if (f.length != n) {
            throw new IOException("bad 'wg show dump' line (" + f.length + " fields, expected " + n + "): " + line);
        }
        return f;
    }

    private static boolean none(String v) {
        return v.equals("(none)");
    }
}
