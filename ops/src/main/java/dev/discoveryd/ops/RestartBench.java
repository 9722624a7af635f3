package dev.discoveryd.ops;

import static dev.discoveryd.ops.Args.arg;

import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.LogOptions;
import dev.discoveryd.eventlog.SyncPolicy;
import dev.discoveryd.service.DiscoveryServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Restart time at scale: writes the history of N clusters x M affiliates (300-byte data, 2 endpoints) straight into
 * an event log, then times the service becoming ready (listening, state loaded) three ways: full log replay (no
 * snapshot yet), the clean shutdown that writes the first full snapshot, and a restart from that snapshot.
 *
 * <pre>ops/bench.sh restart [--clusters=100000] [--affiliates=10] [--refreshes=0]</pre>
 */
public final class RestartBench {
    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        int clusters = Integer.parseInt(arg(args, "clusters", "100000"));
        int perCluster = Integer.parseInt(arg(args, "affiliates", "10"));
        int refreshes = Integer.parseInt(arg(args, "refreshes", "0"));
        Path dir = Files.createTempDirectory("discoveryd-restart");
        try {
            long events = write(dir, clusters, perCluster, refreshes);
            long baseline = usedHeap();
            long t0 = System.nanoTime();
            DiscoveryServer server = start(dir);
            double replay = seconds(t0);
            long affiliates = (long) clusters * perCluster;
            long heap = usedHeap() - baseline;
            System.out.printf("ready after full replay of %d events: %.2f s (%.0f events/s)%n", events, replay, events / replay);
            long payload = 300 + 16 + 32 + 2 * 43; // data, endpoints, IDs' characters
            System.out.printf("heap for %d affiliates: %d MB, %d bytes per affiliate (%d beyond the %d-byte payload)%n",
                    affiliates, heap >> 20, heap / affiliates, heap / affiliates - payload, payload);
            t0 = System.nanoTime();
            server.close();
            System.out.printf("clean shutdown incl. the first full snapshot: %.2f s%n", seconds(t0));
            t0 = System.nanoTime();
            server = start(dir);
            double fromSnapshot = seconds(t0);
            System.out.printf("ready after restart from the snapshot: %.2f s (%.1fx faster than the full replay)%n",
                    fromSnapshot, replay / fromSnapshot);
            server.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static DiscoveryServer start(Path dir) throws Exception {
        return DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--data-dir=" + dir,
                "--snapshot-interval=1h", "--gc-interval=1h");
    }

    /** The history: every affiliate created, then refreshed {@code refreshes} times (as Talos nodes do every TTL/2). */
    private static long write(Path dir, int clusters, int perCluster, int refreshes) {
        KeyRing keys = KeyRing.loadOrCreate(dir, List.of());
        long t0 = System.nanoTime();
        long count = 0;
        try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dir, keys)
                .withSync(SyncPolicy.NEVER, Duration.ofSeconds(1)))) {
            long now = System.currentTimeMillis();
            byte[] data = new byte[300];
            List<byte[]> endpoints = List.of(new byte[16], new byte[32]);
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int round = 0; round <= refreshes; round++) {
                for (int c = 0; c < clusters; c++) {
                    String cluster = String.format("cluster-%037d", c); // 44 characters, like a base64 cluster ID
                    for (int a = 0; a < perCluster; a++) {
                        data[0] = (byte) round;
                        pending.add(log.append(new Event.AffiliateUpdated(cluster, String.format("node-%038d", a), now,
                                data.clone(), endpoints, now + Duration.ofMinutes(30).toMillis())));
                        count++;
                        if (pending.size() == 10_000) {
                            pending.forEach(CompletableFuture::join);
                            pending.clear();
                        }
                    }
                }
                System.out.printf("history: %d events written (%.0f s)%n", count, seconds(t0));
            }
            pending.forEach(CompletableFuture::join);
        }
        return count;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private RestartBench() {
    }
}
