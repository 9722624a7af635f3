package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.View;

import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Save/load of a full snapshot against a full log replay, and heap per affiliate. Not a test; run with
 * {@code mvn -q -pl snapshots test-compile exec:exec@bench} (args via {@code -Dbench.args="clusters perCluster
 * dataBytes refreshRounds"}, defaults 100000 10 300 10). Replay = AES-GCM open + decode + View.evolve per event,
 * sequential, with the benchmark's own event encoding ({@link BenchEventCodec}), since the log codec lives elsewhere.
 */
public final class SnapshotBenchmark {
    private static final int ENDPOINT_BYTES = 24;
    private static final long TTL_MS = 30 * 60_000L;
    private static final int CHUNK = 200_000;

    private final int clusters;
    private final int perCluster;
    private final int dataBytes;
    private final Random random = new Random(42);
    private final TestCipher cipher = new TestCipher();
    private final String[] clusterIds;
    private final String[] affiliateIds;

    private SnapshotBenchmark(int clusters, int perCluster, int dataBytes) {
        this.clusters = clusters;
        this.perCluster = perCluster;
        this.dataBytes = dataBytes;
        clusterIds = new String[clusters];
        affiliateIds = new String[clusters * perCluster];
        for (int c = 0; c < clusters; c++) {
            clusterIds[c] = Base64.getEncoder().encodeToString(bytes(32));
        }
        for (int a = 0; a < affiliateIds.length; a++) {
            affiliateIds[a] = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32)).substring(0, 43);
        }
    }

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int perCluster = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int dataBytes = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        new SnapshotBenchmark(clusters, perCluster, dataBytes).run(rounds);
    }

    private void run(int rounds) throws Exception {
        long n = (long) clusters * perCluster;
        System.out.printf("%,d clusters x %d affiliates = %,d affiliates, %d B data, 2 x %d B endpoints, %d cores%n",
                clusters, perCluster, n, dataBytes, ENDPOINT_BYTES, Runtime.getRuntime().availableProcessors());
        View live = new View();
        for (int i = 0; i < n; i++) {
            live.evolve(update(i, 0));
        }
        Path dir = Files.createTempDirectory("snapshot-bench");
        try {
            Path db = dir.resolve("snapshot");
            try (SnapshotStore store = SnapshotStore.open(db, cipher)) {
                store.load();
                List<ClusterState> copies = live.clusters().stream().map(Fixtures::copy).toList();
                SaveResult full = store.replace(Fixtures.at(n), copies);
                System.out.printf("full save:        %6d ms  (%,d bytes stored, %,d B on disk)%n",
                        full.stats().duration().toMillis(), full.stats().sizeBytes(), diskSize(db));
                List<ClusterState> changed = copies.subList(0, Math.max(1, clusters / 100));
                SaveResult incremental = store.save(Fixtures.at(n + 1), changed, List.of());
                System.out.printf("incremental save: %6d ms  (%,d clusters = 1%%)%n",
                        incremental.stats().duration().toMillis(), incremental.written());
            }
            live = null;
            long payload = n * (43 + dataBytes + 2L * ENDPOINT_BYTES) + (long) clusters * 44;
            for (int attempt = 1; attempt <= 2; attempt++) {
                long before = usedHeap();
                long start = System.nanoTime();
                LoadResult.Loaded loaded;
                try (SnapshotStore store = SnapshotStore.open(db, cipher)) {
                    loaded = (LoadResult.Loaded) store.load();
                }
                long loadMs = (System.nanoTime() - start) / 1_000_000;
                long heap = usedHeap() - before;
                System.out.printf("load #%d (open+load+close): %6d ms  (load %d ms), %,d affiliates; heap %,d B = %.0f B/affiliate,"
                                + " payload %.0f B, overhead %.0f B/affiliate%n", attempt, loadMs,
                        loaded.stats().duration().toMillis(), loaded.stats().affiliates(), heap, (double) heap / n,
                        (double) payload / n, (double) (heap - payload) / n);
                loaded = null;
            }
            replay(n, 1, "minimal history (1 event per affiliate)");
            if (rounds > 1) {
                replay(n, rounds, "history with " + (rounds - 1) + " refreshes per affiliate");
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** Timed: open + decode + evolve of each event; untimed: producing and sealing the events, in chunks. */
    private void replay(long n, int rounds, String label) {
        View view = new View();
        long timed = 0;
        long events = 0;
        byte[][] sealed = new byte[CHUNK][];
        for (int round = 0; round < rounds; round++) {
            for (long from = 0; from < n; from += CHUNK) {
                int count = (int) Math.min(CHUNK, n - from);
                for (int k = 0; k < count; k++) {
                    sealed[k] = cipher.seal(BenchEventCodec.encode(update((int) (from + k), round)), ad(events + k));
                }
                long start = System.nanoTime();
                for (int k = 0; k < count; k++) {
                    view.evolve(BenchEventCodec.decode(cipher.open(sealed[k], ad(events + k))));
                }
                timed += System.nanoTime() - start;
                events += count;
            }
        }
        System.out.printf("replay, %s: %,d events in %d ms (%.2f us/event), %,d affiliates%n", label, events,
                timed / 1_000_000, timed / 1000.0 / events, view.affiliateCount());
    }

    private Event.AffiliateUpdated update(int affiliate, int round) {
        long now = 1_767_225_600_000L + round * 600_000L;
        int cluster = affiliate / perCluster;
        List<byte[]> endpoints = List.of(endpoint(affiliate, 0), endpoint(affiliate, 1));
        return new Event.AffiliateUpdated(clusterIds[cluster], affiliateIds[affiliate], now, bytes(dataBytes),
                endpoints, now + TTL_MS);
    }

    private static byte[] endpoint(int affiliate, int i) {
        return ByteBuffer.allocate(ENDPOINT_BYTES).putInt(affiliate).putInt(i).array();
    }

    private byte[] bytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static byte[] ad(long index) {
        return ByteBuffer.allocate(8).putLong(index).array();
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long diskSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
