package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Client for the cross-platform WireGuard configuration protocol (the UAPI that wireguard-go serves on
 * {@code /var/run/wireguard/<iface>.sock}): {@code get=1} and {@code set=1} requests of key=value lines, each
 * answered with {@code errno=N}. One short-lived connection per request; no process is spawned.
 */
public final class WgUapi implements WgControl {
    /** Largest answer accepted: about 300 bytes per peer plus 50 per allowed IP; 16 MiB is far beyond any mesh. */
    static final int MAX_RESPONSE_BYTES = 16 << 20;

    private final Path socket;

    public WgUapi(Path socket) {
        this.socket = socket;
    }

    public static Path socketFor(Path socketDir, String iface) {
        return socketDir.resolve(iface + ".sock");
    }

    public Path socket() {
        return socket;
    }

    /** True when a device answers on the socket (a stale socket file left by a dead process does not). */
    @Override
    public boolean isAlive() {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            get();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public WgDeviceState get() throws IOException {
        return parseGet(exchange("get=1\n\n"));
    }

    @Override
    public void set(WgUpdate update) throws IOException {
        List<String> lines = exchange(update.render());
        int errno = errno(lines);
        if (errno != 0) {
            throw new WgException("set on " + socket + " failed with errno " + errno, errno);
        }
    }

    private List<String> exchange(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            return readAnswer(ch);
        }
    }

    /** Reads lines up to the blank line that ends an answer (the device keeps the connection open for more). */
    private List<String> readAnswer(SocketChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        StringBuilder text = new StringBuilder();
        List<String> lines = new ArrayList<>();
        int total = 0;
        int lineStart = 0;
        while (true) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                throw new IOException("WireGuard socket " + socket + " closed before the end of its answer");
            }
            total += n;
            if (total > MAX_RESPONSE_BYTES) {
                throw new IOException("WireGuard answer over " + MAX_RESPONSE_BYTES + " bytes on " + socket);
            }
            text.append(new String(buf.array(), 0, n, StandardCharsets.US_ASCII));
            int nl;
            while ((nl = text.indexOf("\n", lineStart)) >= 0) {
                String line = text.substring(lineStart, nl);
                lineStart = nl + 1;
                if (line.isEmpty()) {
                    return lines;
                }
                lines.add(line);
            }
        }
    }

    static int errno(List<String> lines) throws IOException {
        if (lines.isEmpty() || !lines.get(lines.size() - 1).startsWith("errno=")) {
            throw new IOException("WireGuard answer without errno: " + lines);
        }
        try {
            return Integer.parseInt(lines.get(lines.size() - 1).substring("errno=".length()));
        } catch (NumberFormatException e) {
            throw new IOException("bad errno line in WireGuard answer: " + lines.get(lines.size() - 1));
        }
    }

    static WgDeviceState parseGet(List<String> lines) throws IOException {
        int errno = errno(lines);
        if (errno != 0) {
            throw new WgException("get failed with errno " + errno, errno);
        }
        Optional<WireGuardKey> priv = Optional.empty();
        int port = 0;
        int fwmark = 0;
        List<WgDeviceState.Peer> peers = new ArrayList<>();
        PeerBuilder peer = null;
        for (String line : lines.subList(0, lines.size() - 1)) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IOException("bad line in WireGuard answer: " + line);
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1);
            try {
                if (k.equals("public_key")) {
                    if (peer != null) {
                        peers.add(peer.build());
                    }
                    peer = new PeerBuilder(WireGuardKey.fromHex(v));
                } else if (peer == null) {
                    switch (k) {
                        case "private_key" -> priv = nonZero(WireGuardKey.fromHex(v));
                        case "listen_port" -> port = Integer.parseInt(v);
                        case "fwmark" -> fwmark = Integer.parseInt(v);
                        default -> { } // newer device keys are ignored on purpose
                    }
                } else {
                    peer.accept(k, v);
                }
            } catch (IllegalArgumentException e) {
                throw new IOException("bad value in WireGuard answer line '" + k + "': " + e.getMessage());
            }
        }
        if (peer != null) {
            peers.add(peer.build());
        }
        return new WgDeviceState(priv, port, fwmark, peers);
    }

    private static final class PeerBuilder {
        final WireGuardKey key;
        Optional<WireGuardKey> psk = Optional.empty();
        Optional<NodeEndpoint> endpoint = Optional.empty();
        long hsSec;
        long hsNsec;
        long rx;
        long tx;
        int keepalive;
        final List<IpPrefix> allowed = new ArrayList<>();

        PeerBuilder(WireGuardKey key) {
            this.key = key;
        }

        void accept(String k, String v) {
            switch (k) {
                case "preshared_key" -> psk = nonZero(WireGuardKey.fromHex(v));
                case "endpoint" -> endpoint = Optional.of(NodeEndpoint.parse(v));
                case "last_handshake_time_sec" -> hsSec = Long.parseLong(v);
                case "last_handshake_time_nsec" -> hsNsec = Long.parseLong(v);
                case "rx_bytes" -> rx = Long.parseLong(v);
                case "tx_bytes" -> tx = Long.parseLong(v);
                case "persistent_keepalive_interval" -> keepalive = Integer.parseInt(v);
                case "allowed_ip" -> allowed.add(IpPrefix.parse(v));
                default -> { } // protocol_version and future keys
            }
        }

        WgDeviceState.Peer build() {
            return new WgDeviceState.Peer(key, psk, endpoint, Instant.ofEpochSecond(hsSec, hsNsec), rx, tx,
                    keepalive, allowed);
        }
    }

    /** WireGuard reports an unset key as 32 zero bytes. */
    static Optional<WireGuardKey> nonZero(WireGuardKey k) {
        for (byte b : k.bytes()) {
            if (b != 0) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** A device that answered with a non-zero errno (for example EINVAL for a bad key, EADDRINUSE for a port). */
    public static final class WgException extends IOException {
        private final int errno;

        WgException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}
