package dev.discoveryd.snapshots;

import dev.discoveryd.core.View;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.StorageStats;
import org.rocksdb.RocksDBException;

import java.nio.ByteBuffer;
import java.time.Duration;

/** Reads a whole snapshot out of an open database and checks it against its own metadata. */
final class SnapshotReader {
    /** What was read, and the metadata it was checked against (null when there is no snapshot). */
    record Read(LoadResult result, SnapshotMeta meta) {
    }

    private final SnapshotDb db;
    private final SnapshotCipher cipher;

    SnapshotReader(SnapshotDb db, SnapshotCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /**
     * The snapshot, or {@link LoadResult.Missing} for an empty database.
     *
     * @throws Exception (RocksDB, cipher or format errors) when the snapshot exists but cannot be used
     */
    Read read(Tallies tallies, long startNanos) throws RocksDBException, InterruptedException {
        byte[] format = db.getMeta(SnapshotMeta.FORMAT_KEY);
        byte[] state = db.getMeta(SnapshotMeta.STATE_KEY);
        if (format == null && state == null) {
            if (db.hasClusters()) {
                throw new SnapshotFormatException("cluster entries without snapshot metadata");
            }
            return new Read(new LoadResult.Missing(), null);
        }
        int version = format != null && format.length == 4 ? ByteBuffer.wrap(format).getInt() : -1;
        if (!SnapshotMeta.readable(version)) {
            throw new SnapshotFormatException("snapshot format " + version + " is not " + SnapshotMeta.FORMAT);
        }
        if (state == null) {
            throw new SnapshotFormatException("snapshot metadata is missing");
        }
        SnapshotMeta meta = SnapshotMeta.decode(cipher.open(state, SnapshotMeta.STATE_AD));
        View view = new View();
        new ClusterLoader(db, cipher, Runtime.getRuntime().availableProcessors()).load(view, tallies, meta.clusters());
        if (tallies.clusters() != meta.clusters() || tallies.affiliates() != meta.affiliates()
                || tallies.endpoints() != meta.endpoints() || tallies.bytes() != meta.bytes()) {
            throw new SnapshotFormatException("snapshot holds " + tallies.clusters() + " clusters, "
                    + tallies.affiliates() + " affiliates; its metadata says " + meta.clusters() + ", "
                    + meta.affiliates());
        }
        StorageStats stats = new StorageStats(meta.clusters(), meta.affiliates(), meta.endpoints(), meta.bytes(),
                Duration.ofNanos(System.nanoTime() - startNanos));
        return new Read(new LoadResult.Loaded(view, meta.covered(), stats), meta);
    }
}
