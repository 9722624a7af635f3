package dev.discoveryd.ops.soak;

import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.service.h2.RawH2;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The hostile clients of the soak, each kind from its own loopback address, each looping until {@code running} turns
 * false: Watch streams that never grant a window, malformed gRPC framing, rapid resets, oversized headers, and
 * /inspect fetchers. Counts what they did and what came back.
 */
final class Attackers {
    static final String FULL = "soak-full";
    /** An affiliate that only malformed requests try to create: it must never appear. */
    static final String FORBIDDEN = "attack-two-messages";

    private final String host = "127.0.0.1";
    private final int port;
    private final int pagesPort;
    private final BooleanSupplier running;
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    Attackers(int port, int pagesPort, BooleanSupplier running) {
        this.port = port;
        this.pagesPort = pagesPort;
        this.running = running;
    }

    /** Starts the attacks named in {@code kinds} (watchers, malformed, reset, headers, inspect). */
    List<Thread> start(Set<String> kinds) {
        List<Thread> threads = new ArrayList<>();
        if (kinds.contains("watchers")) {
            threads.add(loop("non-reading-watchers-a", () -> nonReadingWatchers("127.0.0.11")));
            threads.add(loop("non-reading-watchers-b", () -> nonReadingWatchers("127.0.0.12")));
        }
        if (kinds.contains("malformed")) {
            threads.add(loop("malformed", () -> malformed("127.0.0.13")));
        }
        if (kinds.contains("reset")) {
            threads.add(loop("rapid-reset", () -> rapidReset("127.0.0.14")));
        }
        if (kinds.contains("headers")) {
            threads.add(loop("big-headers", () -> bigHeaders("127.0.0.15")));
        }
        for (int i = 0; kinds.contains("inspect") && i < 6; i++) {
            threads.add(loop("inspect-" + i, () -> inspect("127.0.0.16")));
        }
        threads.forEach(Thread::start);
        return threads;
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private interface Attack {
        void run() throws Exception;
    }

    private Thread loop(String name, Attack attack) {
        Thread t = new Thread(() -> {
            while (running.getAsBoolean()) {
                try {
                    attack.run();
                } catch (Exception e) {
                    count(name + " connection cut");
                    pause(50);
                }
            }
        }, "attack-" + name);
        t.setDaemon(true);
        return t;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] watch(String cluster) {
        return RawH2.grpcFrame(WatchRequest.newBuilder().setClusterId(cluster).build().toByteArray());
    }

    private static byte[] hello() {
        return RawH2.grpcFrame(HelloRequest.newBuilder().setClusterId(FULL).setClientVersion("attacker").build().toByteArray());
    }

    /** Up to 100 Watch streams of the full cluster on connections with a zero window, replaced as they are ended. */
    private void nonReadingWatchers(String from) throws Exception {
        List<RawH2> conns = new ArrayList<>();
        List<RawH2.Stream> open = new ArrayList<>();
        long opened = 0;
        try {
            while (running.getAsBoolean()) {
                open.removeIf(s -> {
                    if (s.end.isDone()) {
                        count("watch ended: grpc-status " + s.grpcStatus() + ", rst " + s.rst);
                        return true;
                    }
                    return false;
                });
                while (open.size() < 100 && running.getAsBoolean()) {
                    if (opened++ % 10 == 0) {
                        conns.add(RawH2.connect(InetAddress.getByName(from), host, port, 0, false));
                    }
                    RawH2 h2 = conns.get(conns.size() - 1);
                    int id = h2.open(RawH2.grpcHeaders("Watch"), false);
                    h2.data(id, watch(FULL), true);
                    open.add(h2.stream(id));
                    count("non-reading watches opened");
                }
                pause(200);
                // Connections whose streams have all ended are of no more use to the attack.
                for (int i = conns.size() - 2; i >= 0; i--) {
                    RawH2 c = conns.get(i);
                    if (open.stream().noneMatch(st -> c.stream(st.id) == st)) {
                        c.close();
                        conns.remove(i);
                    }
                }
            }
        } finally {
            for (RawH2 c : conns) {
                c.close();
            }
        }
    }

    private void malformed(String from) throws Exception {
        try (RawH2 h2 = RawH2.connect(InetAddress.getByName(from), host, port, -1, true)) {
            byte[] ok = HelloRequest.newBuilder().setClusterId(FULL).build().toByteArray();
            byte[] update = AffiliateUpdateRequest.newBuilder().setClusterId(FULL).setAffiliateId(FORBIDDEN).build().toByteArray();
            ByteArrayOutputStream two = new ByteArrayOutputStream();
            two.writeBytes(RawH2.grpcFrame(update));
            two.writeBytes(RawH2.grpcFrame(update));
            byte[][] bodies = {new byte[0], {0, 0, 0}, RawH2.grpcFrame(0, ok.length + 9, ok), RawH2.grpcFrame(1, ok.length, ok),
                    RawH2.grpcFrame(7, ok.length, ok), RawH2.grpcFrame(new byte[]{(byte) 0xff, (byte) 0xff}),
                    RawH2.grpcFrame(new byte[]{0x0a, 2, (byte) 0xc3, 0x28}), RawH2.grpcFrame(0, 1 << 30, new byte[0])};
            for (int round = 0; round < 20 && running.getAsBoolean(); round++) {
                for (byte[] body : bodies) {
                    count("malformed answered grpc-status " + h2.call("Hello", body).grpcStatus());
                }
                count("two-message update answered grpc-status " + h2.call("AffiliateUpdate", two.toByteArray()).grpcStatus());
                count("bad gzip answered grpc-status "
                        + h2.call("Hello", RawH2.grpcFrame(1, 4, new byte[]{1, 2, 3, 4}), "grpc-encoding", "gzip").grpcStatus());
            }
        }
    }

    private void rapidReset(String from) throws Exception {
        try (RawH2 h2 = RawH2.connect(InetAddress.getByName(from), host, port, -1, true)) {
            // Paced at about 2,000 streams a second: an attacker spinning on the same two cores would measure the box.
            for (int i = 1; running.getAsBoolean() && !h2.goAway.isDone() && !h2.closed.isDone(); i++) {
                int id = h2.open(RawH2.grpcHeaders("Hello"), false);
                h2.rst(id, RawH2.CANCEL);
                count("rapid resets sent");
                if (i % 100 == 0) {
                    pause(50);
                }
            }
            count("rapid-reset connection ended by GOAWAY " + h2.goAway.getNow(null));
        }
    }

    private void bigHeaders(String from) throws Exception {
        try (RawH2 h2 = RawH2.connect(InetAddress.getByName(from), host, port, -1, true)) {
            for (int size : new int[]{48 << 10, 200 << 10, 400 << 10}) {
                if (!running.getAsBoolean() || h2.closed.isDone()) {
                    return;
                }
                RawH2.Stream s = h2.call("Hello", hello(), "x-pad", "p".repeat(size));
                count((size >> 10) + " KiB headers answered grpc-status " + s.grpcStatus()
                        + (s.connectionLost ? " (connection closed)" : ""));
                pause(100);
            }
        }
    }

    /** A plain HTTP/1.1 GET of the full cluster's page, alternating between the landing and the gRPC port. */
    private void inspect(String from) throws Exception {
        long n = counts.computeIfAbsent("inspect fetches", k -> new AtomicLong()).incrementAndGet();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(host, n % 2 == 0 ? pagesPort : port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /inspect?clusterID=" + FULL + " HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] all = socket.getInputStream().readAllBytes();
            String head = new String(all, 0, Math.min(all.length, 12), StandardCharsets.US_ASCII);
            count("inspect answered " + (head.length() >= 12 ? head.substring(9, 12) : "nothing"));
        }
    }
}
