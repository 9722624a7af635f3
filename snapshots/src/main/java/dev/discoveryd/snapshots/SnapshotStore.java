package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import dev.discoveryd.core.port.StorageStats;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Encrypted, incremental snapshots of the view in a RocksDB database, each stored atomically with the log position it
 * covers. Column family {@code clusters} maps {@code blind(clusterId)} to {@code seal(cluster, AD = key)};
 * {@code meta} holds the format and the sealed {@link SnapshotMeta}.
 *
 * <p>Protocol: {@link #open}, then {@link #load}. After {@link LoadResult.Loaded} the service may save incrementally
 * (the clusters changed since the previous save). After {@link LoadResult.Missing} or {@link LoadResult.Failed} it
 * replays the log and must save everything once with {@link #replace} first. Saves must come from one thread at a time
 * (the store's owner, never an event loop; see {@link SnapshotWriter}); {@link #checkpoint} may run concurrently.
 */
public final class SnapshotStore implements dev.discoveryd.core.port.SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final int PARALLEL_FROM = 2_000;
    /**
     * A save whose sealed entries come to at most this goes through one WriteBatch and the memtable (each holds a
     * copy); a larger one streams a new generation of table files instead.
     */
    static final long BATCH_LIMIT_BYTES = 8L << 20;
    /** A large save seals this many clusters at most at a time... */
    static final int CHUNK_CLUSTERS = 1024;
    /** ...and stops adding clusters to a chunk once it holds this many affiliates. */
    static final int CHUNK_AFFILIATES = 16_384;

    private final Path dir;
    private final SnapshotCipher cipher;
    private final Tallies tallies = new Tallies();
    private final ClusterEntries entries;
    private SnapshotDb db;
    private Exception openFailure;
    private SnapshotMeta meta;
    private boolean incrementalAllowed;
    private long batchLimit = BATCH_LIMIT_BYTES;
    /** Where each save gets the log head it records; none by default. */
    private volatile java.util.function.Supplier<byte[]> logHead = () -> null;

    private SnapshotStore(Path dir, SnapshotCipher cipher, SnapshotDb db, Exception openFailure) {
        this.dir = dir;
        this.cipher = cipher;
        this.entries = new ClusterEntries(cipher);
        this.db = db;
        this.openFailure = openFailure;
    }

    /**
     * Opens or creates the store in {@code dir}. A database that cannot be opened is moved aside to
     * {@code <dir>.unreadable} and a new one created; {@link #load} then reports the failure.
     *
     * @throws IOException when the directory is in use by another process or a new database cannot be created
     */
    public static SnapshotStore open(Path dir, SnapshotCipher cipher) throws IOException {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        if (Directories.hasFilesButNo(dir, "CURRENT")) {
            // RocksDB would silently start an empty database here and the loss would look like "no snapshot".
            LOG.warn("snapshot database {} has lost its CURRENT file, moving it aside", dir);
            Directories.moveAside(dir);
            return new SnapshotStore(dir, cipher, openFresh(dir),
                    new SnapshotFormatException("snapshot directory " + dir + " has files but no CURRENT file"));
        }
        try {
            return new SnapshotStore(dir, cipher, SnapshotDb.open(dir, false), null);
        } catch (RocksDBException e) {
            if (String.valueOf(e.getMessage()).contains("LOCK")) {
                throw new IOException("snapshot directory " + dir + " is in use", e);
            }
            LOG.warn("snapshot database {} cannot be opened, moving it aside: {}", dir, e.getMessage());
            Directories.moveAside(dir);
            return new SnapshotStore(dir, cipher, openFresh(dir), e);
        }
    }

    /**
     * Loads the snapshot: the view, the log position it covers, and figures for metrics. Never throws for a bad snapshot:
     * an unreadable one is logged, reported as {@link LoadResult.Failed} and moved aside.
     */
    @Override
    public synchronized LoadResult load() {
        currentDb();
        long start = System.nanoTime();
        tallies.clear();
        incrementalAllowed = false;
        Exception failure = openFailure;
        openFailure = null;
        if (failure == null) {
            try {
                SnapshotReader.Read read = new SnapshotReader(db, cipher).read(tallies, start);
                meta = read.meta();
                incrementalAllowed = read.result() instanceof LoadResult.Loaded;
                if (read.result() instanceof LoadResult.Loaded loaded) {
                    LOG.info("snapshot loaded: log position {}, {} clusters, {} affiliates, {} bytes in {} ms",
                            loaded.covered(), meta.clusters(), meta.affiliates(), meta.bytes(),
                            loaded.stats().duration().toMillis());
                } else {
                    LOG.info("no snapshot in {}: full log replay", dir);
                }
                return read.result();
            } catch (Exception e) {
                failure = e;
                tallies.clear();
                meta = null;
                discardUnreadable(e);
            }
        }
        LOG.warn("snapshot in {} is unreadable, falling back to a full log replay: {}", dir, failure.toString());
        return new LoadResult.Failed(String.valueOf(failure.getMessage()), failure,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Saves the clusters changed since the previous save and removes the forgotten ones, atomically with
     * {@code covered}. Every copy must show at least the events up to and including {@code covered}; an empty
     * cluster counts as removed. Durable when it returns.
     *
     * @throws IllegalStateException when the store does not know its content (no successful load or replace yet)
     * @throws IOException           when RocksDB refuses the write; the previous snapshot stays in force
     */
    @Override
    public synchronized SaveResult save(LogPosition covered, Collection<ClusterState> changed,
                                        Collection<String> removed) throws IOException {
        if (!incrementalAllowed) {
            throw new IllegalStateException("incremental save before a successful load or replace");
        }
        return write(covered, changed, removed, false);
    }

    /** Replaces the whole snapshot with {@code clusters} (after a full replay, or to start a new store). */
    @Override
    public synchronized SaveResult replace(LogPosition covered, Collection<ClusterState> clusters) throws IOException {
        return write(covered, clusters, Set.of(), true);
    }

    /** Whether {@link #save} may be called; false until a successful load or replace, and after a failed save. */
    @Override
    public synchronized boolean acceptsIncremental() {
        return incrementalAllowed;
    }

    /**
     * Each save from now on records what {@code source} returns (the log's durable head as opaque bytes, or null for
     * none) in the snapshot's metadata, for {@link #loadedLogHead} and {@link SnapshotBackup#readLogHead} to give back.
     */
    public void recordLogHead(java.util.function.Supplier<byte[]> source) {
        this.logHead = source;
    }

    /** Tests: saves whose sealed entries exceed {@code bytes} stream a new generation (0: every non-empty save). */
    synchronized void batchLimit(long bytes) {
        this.batchLimit = bytes;
    }

    /** The log head the latest durable snapshot recorded (after a load or save), empty when none. */
    public synchronized Optional<byte[]> loadedLogHead() {
        return meta == null || meta.logHead().length == 0 ? Optional.empty() : Optional.of(meta.logHead());
    }

    /** The log position covered by the latest durable snapshot, empty when there is none. */
    @Override
    public synchronized Optional<LogPosition> covered() {
        return meta == null ? Optional.empty() : Optional.of(meta.covered());
    }

    /**
     * A consistent copy of the latest durable snapshot in {@code to} (must not exist yet), taken while saves go on;
     * cheap: table files are hard-linked when on the same file system.
     */
    public void checkpoint(Path to) throws IOException {
        try {
            currentDb().checkpoint(to);
            LOG.info("snapshot checkpoint written to {}", to);
        } catch (RocksDBException e) {
            throw new IOException("snapshot checkpoint to " + to + " failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (db != null) {
            db.close();
            db = null;
        }
    }

    private SaveResult write(LogPosition covered, Collection<ClusterState> changed, Collection<String> removed,
                             boolean full) throws IOException {
        long start = System.nanoTime();
        SnapshotDb target = currentDb();
        if (meta != null && !covered.includes(meta.covered())) {
            throw new IllegalArgumentException("position " + covered + " is before the snapshot's " + meta.covered());
        }
        String keyId = cipher.keyId();
        boolean rekey = !full && meta != null && !meta.keyId().equals(keyId);
        int[] counts = new int[2];
        try {
            List<byte[][]> small = full || rekey ? null : sealWithin(changed, batchLimit);
            if (small == null && !rekey) {
                rewrite(target, covered, changed, removed, full, counts);
            } else {
                writeBatch(target, covered, changed, removed, small, rekey, counts);
            }
            incrementalAllowed = true;
        } catch (RocksDBException | RuntimeException e) {
            // Nothing was applied: what the store knows about its content is no longer trustworthy.
            incrementalAllowed = false;
            throw new IOException("snapshot save at position " + covered + " failed: " + e.getMessage(), e);
        }
        int written = counts[0];
        int dropped = counts[1];
        StorageStats stats = new StorageStats(meta.clusters(), meta.affiliates(), meta.endpoints(), meta.bytes(),
                Duration.ofNanos(System.nanoTime() - start));
        LOG.info("snapshot saved: log position {}, {} clusters written, {} removed{}, {} clusters, {} affiliates, {} bytes in {} ms",
                covered, written, dropped, rekey ? " (re-keyed)" : full ? " (full)" : "", stats.clusters(),
                stats.affiliates(), stats.sizeBytes(), stats.duration().toMillis());
        return new SaveResult(covered, written, dropped, rekey, stats);
    }

    /**
     * The entries of the non-empty clusters in {@code changed}, sealed one after the other, or null once they exceed
     * {@code limit} bytes (the save then streams a new generation instead; the work wasted is bounded by the limit).
     */
    private List<byte[][]> sealWithin(Collection<ClusterState> changed, long limit) {
        List<byte[][]> sealed = new ArrayList<>();
        long bytes = 0;
        for (ClusterState cluster : changed) {
            if (!cluster.isEmpty()) {
                byte[][] entry = entries.seal(cluster);
                bytes += entry[0].length + entry[1].length;
                if (bytes > limit) {
                    return null;
                }
                sealed.add(entry);
            }
        }
        return sealed;
    }

    /**
     * A small save (or a re-keying): one WriteBatch into the memtable, flushed at once with the metadata. With
     * {@code sealed} null (re-keying) the changed clusters are sealed here.
     */
    private void writeBatch(SnapshotDb target, LogPosition covered, Collection<ClusterState> changed,
                            Collection<String> removed, List<byte[][]> sealed, boolean rekey, int[] counts)
            throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            if (rekey) {
                entries.rekey(batch, target, tallies);
            }
            for (String id : removed) {
                batch.delete(target.clusters(), entries.key(id));
                tallies.remove(id);
                counts[1]++;
            }
            for (ClusterState cluster : changed) {
                if (cluster.isEmpty()) {
                    batch.delete(target.clusters(), entries.key(cluster.id()));
                    tallies.remove(cluster.id());
                    counts[1]++;
                }
            }
            List<ClusterState> kept = changed.stream().filter(c -> !c.isEmpty()).toList();
            List<byte[][]> entry = sealed != null ? sealed
                    : (kept.size() >= PARALLEL_FROM ? kept.parallelStream() : kept.stream()).map(entries::seal).toList();
            for (int i = 0; i < kept.size(); i++) {
                ClusterState cluster = kept.get(i);
                batch.put(target.clusters(), entry.get(i)[0], entry.get(i)[1]);
                tallies.put(cluster.id(), cluster.size(), cluster.endpointCount(),
                        entry.get(i)[0].length + entry.get(i)[1].length);
                counts[0]++;
            }
            SnapshotMeta next = nextMeta(covered);
            putMeta(batch, target, next);
            target.write(batch);
            meta = next;
        }
    }

    /**
     * A large or full save: a new generation of the clusters streamed in key order, merging the current generation
     * (unless {@code full}) with the changes, sealed a chunk at a time (on every core). Bounded memory whatever the
     * state's size: the sorted keys of the changes, one chunk of sealed entries, RocksDB's block being written.
     */
    private void rewrite(SnapshotDb target, LogPosition covered, Collection<ClusterState> changed,
                         Collection<String> removed, boolean full, int[] counts) throws RocksDBException {
        // Removals first, so that a cluster both removed and changed ends as changed (as in the batch path).
        TreeMap<byte[], Object> changes = new TreeMap<>(Arrays::compareUnsigned);
        for (String id : removed) {
            changes.put(entries.key(id), id);
        }
        for (ClusterState cluster : changed) {
            changes.put(entries.key(cluster.id()), cluster.isEmpty() ? cluster.id() : cluster);
        }
        if (full) {
            tallies.clear();
        }
        Iterator<Map.Entry<byte[], Object>> pending = changes.entrySet().iterator();
        List<Map.Entry<byte[], Object>> chunk = new ArrayList<>();
        List<byte[][]> sealed = List.of();
        int next = 0;
        try (SnapshotDb.NextClusters generation = target.nextClusters();
             ReadOptions options = new ReadOptions().setFillCache(false);
             RocksIterator current = target.clusterIterator(options)) {
            if (!full) { // a full save keeps nothing of the current generation
                current.seekToFirst();
            }
            while (true) {
                if (next == chunk.size() && pending.hasNext()) {
                    sealed = sealChunk(pending, chunk);
                    next = 0;
                }
                boolean changeLeft = next < chunk.size();
                byte[] currentKey = !full && current.isValid() ? current.key() : null;
                if (!changeLeft && currentKey == null) {
                    break;
                }
                int order = currentKey == null ? 1 : !changeLeft ? -1
                        : Arrays.compareUnsigned(currentKey, chunk.get(next).getKey());
                if (order < 0) {
                    generation.put(currentKey, current.value());
                    current.next();
                    continue;
                }
                if (order == 0) {
                    current.next();
                }
                Object change = chunk.get(next).getValue();
                byte[][] entry = sealed.get(next);
                if (change instanceof ClusterState cluster) {
                    generation.put(entry[0], entry[1]);
                    tallies.put(cluster.id(), cluster.size(), cluster.endpointCount(), entry[0].length + entry[1].length);
                    counts[0]++;
                } else {
                    tallies.remove((String) change);
                    counts[1]++;
                }
                next++;
            }
            current.status();
            SnapshotMeta nextMeta = nextMeta(covered);
            try (WriteBatch metaBatch = new WriteBatch()) {
                putMeta(metaBatch, target, nextMeta);
                generation.commit(metaBatch);
            }
            meta = nextMeta;
        }
    }

    /**
     * Fills {@code chunk} with the next changes (at most {@link #CHUNK_CLUSTERS} clusters or {@link #CHUNK_AFFILIATES}
     * affiliates, at least one change) and returns their sealed entries (null for a removal), sealed in parallel.
     */
    private List<byte[][]> sealChunk(Iterator<Map.Entry<byte[], Object>> pending, List<Map.Entry<byte[], Object>> chunk) {
        chunk.clear();
        long affiliates = 0;
        while (pending.hasNext() && chunk.size() < CHUNK_CLUSTERS && (chunk.isEmpty() || affiliates < CHUNK_AFFILIATES)) {
            Map.Entry<byte[], Object> change = pending.next();
            chunk.add(change);
            if (change.getValue() instanceof ClusterState cluster) {
                affiliates += cluster.size();
            }
        }
        return (chunk.size() >= 64 ? chunk.parallelStream() : chunk.stream())
                .map(c -> c.getValue() instanceof ClusterState cluster ? entries.seal(cluster) : null)
                .toList();
    }

    private SnapshotMeta nextMeta(LogPosition covered) {
        return new SnapshotMeta(covered, cipher.keyId(), tallies.clusters(), tallies.affiliates(), tallies.endpoints(),
                tallies.bytes(), logHead.get());
    }

    private void putMeta(WriteBatch batch, SnapshotDb target, SnapshotMeta next) throws RocksDBException {
        batch.put(target.meta(), SnapshotMeta.FORMAT_KEY, SnapshotMeta.formatValue());
        batch.put(target.meta(), SnapshotMeta.STATE_KEY, cipher.seal(next.encode(), SnapshotMeta.STATE_AD));
    }

    private void discardUnreadable(Exception cause) {
        try {
            db.close();
            db = null;
            Directories.moveAside(dir);
            db = openFresh(dir);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            LOG.error("cannot replace the unreadable snapshot database in {}: {}", dir, e.toString());
        }
    }

    private SnapshotDb currentDb() {
        if (db == null) {
            throw new IllegalStateException("snapshot store " + dir + " is closed or unusable");
        }
        return db;
    }

    private static SnapshotDb openFresh(Path dir) throws IOException {
        try {
            return SnapshotDb.open(dir, false);
        } catch (RocksDBException e) {
            throw new IOException("cannot create a snapshot database in " + dir, e);
        }
    }
}
