package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.View;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every stored cluster into a view: one thread scans RocksDB in key order while a pool as large as the machine
 * opens and decodes batches of entries; the calling thread alone touches the view.
 */
final class ClusterLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLoader.class);
    private static final int BATCH = 256;
    private static final long PROGRESS_FROM = 20_000;

    private record Decoded(ClusterState cluster, int storedBytes) {
    }

    private final SnapshotDb db;
    private final SnapshotCipher cipher;
    private final int threads;

    ClusterLoader(SnapshotDb db, SnapshotCipher cipher, int threads) {
        this.db = db;
        this.cipher = cipher;
        this.threads = threads;
    }

    /** Fills {@code view} and {@code tallies}; {@code expected} (from the metadata) only paces progress logs. */
    void load(View view, Tallies tallies, long expected) throws RocksDBException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
        ArrayDeque<Future<List<Decoded>>> inFlight = new ArrayDeque<>();
        Progress progress = new Progress(expected);
        try (ReadOptions options = new ReadOptions().setFillCache(false).setReadaheadSize(8L << 20);
             RocksIterator it = db.clusterIterator(options)) {
            List<byte[][]> batch = new ArrayList<>(BATCH);
            for (it.seekToFirst(); it.isValid(); it.next()) {
                batch.add(new byte[][]{it.key(), it.value()});
                if (batch.size() == BATCH) {
                    List<byte[][]> full = batch;
                    inFlight.add(pool.submit(() -> decode(full)));
                    batch = new ArrayList<>(BATCH);
                    if (inFlight.size() >= threads * 4) {
                        restore(inFlight.poll(), view, tallies, progress);
                    }
                }
            }
            it.status();
            List<byte[][]> last = batch;
            inFlight.add(pool.submit(() -> decode(last)));
            while (!inFlight.isEmpty()) {
                restore(inFlight.poll(), view, tallies, progress);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Decoded> decode(List<byte[][]> entries) {
        List<Decoded> decoded = new ArrayList<>(entries.size());
        for (byte[][] entry : entries) {
            byte[] plaintext = cipher.open(entry[1], SnapshotDb.clusterAd(entry[0]));
            decoded.add(new Decoded(StoredClusterCodec.decode(plaintext), entry[0].length + entry[1].length));
        }
        return decoded;
    }

    private static void restore(Future<List<Decoded>> batch, View view, Tallies tallies, Progress progress)
            throws InterruptedException {
        List<Decoded> decoded;
        try {
            decoded = batch.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
        for (Decoded d : decoded) {
            ClusterState cluster = d.cluster();
            if (view.cluster(cluster.id()) != null) {
                throw new SnapshotFormatException("cluster stored twice");
            }
            view.restore(cluster);
            tallies.put(cluster.id(), cluster.size(), cluster.endpointCount(), d.storedBytes());
        }
        progress.advance(decoded.size());
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "snapshot-load-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Logs a line at each quarter of a long load. */
    private static final class Progress {
        private final long expected;
        private long done;
        private int quarter;

        Progress(long expected) {
            this.expected = expected;
        }

        void advance(int clusters) {
            done += clusters;
            if (expected >= PROGRESS_FROM && quarter < 3 && done * 4 >= expected * (quarter + 1)) {
                quarter++;
                LOG.info("snapshot load: {} of {} clusters", done, expected);
            }
        }
    }
}
