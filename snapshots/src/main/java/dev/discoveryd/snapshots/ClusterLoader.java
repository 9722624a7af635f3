package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.View;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads every stored cluster into a view. The blinded keys are uniform, so the key space is cut into ranges by first
 * byte and a pool as large as the machine scans them side by side, each thread reading its entries into one reused
 * array and opening them into large direct buffers of its own (no array per entry), checking each through; the
 * clusters stay {@linkplain
 * ClusterState#deferred deferred} (built on first use) on those buffers. The calling thread alone touches the view.
 */
final class ClusterLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLoader.class);
    /** Off the heap (the collector never scans or copies them), and large enough to be few. */
    private static final int SLAB_BYTES = 4 << 20;
    private static final long PROGRESS_FROM = 20_000;

    private record Loaded(ClusterState cluster, int storedBytes) {
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
        // More ranges than threads, so that a thread done early takes another.
        int ranges = threads <= 1 ? 1 : Math.min(256, threads * 4);
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
        Progress progress = new Progress(expected);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<List<Loaded>>> parts = new ArrayList<>(ranges);
        try {
            for (int i = 0; i < ranges; i++) {
                int from = i * 256 / ranges;
                int to = (i + 1) * 256 / ranges;
                parts.add(pool.submit(() -> scan(from, to, progress, failed)));
            }
            for (Future<List<Loaded>> part : parts) {
                restore(part, view, tallies);
            }
            LOG.info("snapshot load: {} key ranges scanned on {} threads, {} ms of their CPU", ranges, threads,
                    progress.cpuNanos.get() / 1_000_000);
        } catch (RuntimeException | InterruptedException e) {
            failed.set(true);
            throw e;
        } finally {
            // No scan may outlive this call: the caller closes the database next when the snapshot is unreadable.
            pool.shutdown();
            while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("snapshot load: waiting for the scanning threads to stop");
            }
        }
    }

    /**
     * The entries whose key starts with a byte in [{@code from}, {@code to}) (to 256: up to the end). The loop itself
     * stays trivial and the work per entry is in {@link Opener#open}: a loop runs interpreted until its method is
     * compiled on the stack (OSR), which takes tens of thousands of iterations counted over all ranges (at a cold
     * 1M-affiliate restart, most of the load), while a method called per entry is compiled after a few hundred calls.
     */
    private List<Loaded> scan(int from, int to, Progress progress, AtomicBoolean failed) throws RocksDBException {
        List<Loaded> loaded = new ArrayList<>();
        long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        try (ReadOptions options = new ReadOptions().setFillCache(false).setReadaheadSize(8L << 20);
             RocksIterator it = db.clusterIterator(options)) {
            if (from == 0) {
                it.seekToFirst();
            } else {
                it.seek(new byte[]{(byte) from});
            }
            Opener opener = new Opener(cipher);
            for (; it.isValid() && !failed.get(); it.next()) {
                Loaded entry = opener.open(it, to);
                if (entry == null) {
                    break;
                }
                loaded.add(entry);
                progress.advance();
            }
            it.status();
            progress.cpuNanos.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
        } catch (RocksDBException | RuntimeException e) {
            failed.set(true);
            throw e;
        }
        return loaded;
    }

    /** One scanning thread's buffers: the entry read into one reused array, opened into the current slab. */
    private static final class Opener {
        private final SnapshotCipher cipher;
        private ByteBuffer slab = ByteBuffer.allocateDirect(0);
        private byte[] value = new byte[64 << 10];

        Opener(SnapshotCipher cipher) {
            this.cipher = cipher;
        }

        /** The entry {@code it} is on, opened and checked; null when its key is at or past the range end {@code to}. */
        Loaded open(RocksIterator it, int to) {
            byte[] key = it.key();
            if (to < 256 && (key[0] & 0xFF) >= to) {
                return null;
            }
            int length = it.value(value, 0, value.length);
            if (length > value.length) {
                value = new byte[Math.max(length, value.length * 2)];
                it.value(value, 0, value.length);
            }
            if (slab.remaining() < length) {
                slab = newSlab(Math.max(SLAB_BYTES, length));
            }
            int start = slab.position();
            int opened = cipher.openInto(value, 0, length, SnapshotDb.clusterAd(key), slab);
            return new Loaded(StoredClusterCodec.deferred(slab, start, opened), key.length + length);
        }
    }

    private static ByteBuffer newSlab(int bytes) {
        try {
            return ByteBuffer.allocateDirect(bytes);
        } catch (OutOfMemoryError directMemoryFull) {
            return ByteBuffer.allocate(bytes); // -XX:MaxDirectMemorySize reached: the heap then
        }
    }

    private static void restore(Future<List<Loaded>> part, View view, Tallies tallies) throws InterruptedException {
        List<Loaded> loaded;
        try {
            loaded = part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof RocksDBException rocks) {
                throw new SnapshotFormatException("reading the snapshot failed: " + rocks.getMessage(), rocks);
            }
            throw new IllegalStateException(e.getCause());
        }
        for (Loaded l : loaded) {
            restore(l, view, tallies);
        }
    }

    /** Per entry, not in the loop above, so that it is compiled early (see {@link #scan}). */
    private static void restore(Loaded l, View view, Tallies tallies) {
        ClusterState cluster = l.cluster();
        if (view.cluster(cluster.id()) != null) {
            throw new SnapshotFormatException("cluster stored twice");
        }
        view.restore(cluster);
        tallies.put(cluster.id(), cluster.size(), cluster.endpointCount(), l.storedBytes());
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "snapshot-load-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Logs a line at each quarter of a long load; shared by the scanning threads. */
    private static final class Progress {
        private final long expected;
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong cpuNanos = new AtomicLong();

        Progress(long expected) {
            this.expected = expected;
        }

        void advance() {
            long now = done.incrementAndGet();
            if (expected >= PROGRESS_FROM && now < expected && now % (expected / 4) == 0) {
                LOG.info("snapshot load: {} of {} clusters", now, expected);
            }
        }
    }
}
