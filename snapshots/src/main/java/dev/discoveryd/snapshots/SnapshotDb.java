package dev.discoveryd.snapshots;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The RocksDB database behind a snapshot store: column family {@code meta} (format and sealed metadata) and
 * {@code clusters} (one sealed value per cluster under its blinded ID). Owns every native handle it opens.
 */
final class SnapshotDb implements AutoCloseable {
    static final byte[] META = "meta".getBytes(StandardCharsets.UTF_8);
    static final byte[] CLUSTERS = "clusters".getBytes(StandardCharsets.UTF_8);

    private static final byte[] CLUSTER_AD_PREFIX = "discoveryd/snapshot/cluster/".getBytes(StandardCharsets.UTF_8);

    static {
        RocksNative.load();
    }

    /** The associated data of a cluster value: binds it to its (blinded) key, so values cannot be swapped. */
    static byte[] clusterAd(byte[] key) {
        byte[] ad = Arrays.copyOf(CLUSTER_AD_PREFIX, CLUSTER_AD_PREFIX.length + key.length);
        System.arraycopy(key, 0, ad, CLUSTER_AD_PREFIX.length, key.length);
        return ad;
    }

    private final DBOptions dbOptions;
    private final ColumnFamilyOptions metaOptions;
    private final ColumnFamilyOptions clusterOptions;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final WriteOptions unloggedWrites;

    private SnapshotDb(DBOptions dbOptions, ColumnFamilyOptions metaOptions, ColumnFamilyOptions clusterOptions,
                       List<ColumnFamilyHandle> handles, RocksDB db) {
        this.dbOptions = dbOptions;
        this.metaOptions = metaOptions;
        this.clusterOptions = clusterOptions;
        this.handles = handles;
        this.db = db;
        this.unloggedWrites = new WriteOptions().setDisableWAL(true);
    }

    /** Opens (creating when {@code readOnly} is false) the database in {@code dir}. */
    static SnapshotDb open(Path dir, boolean readOnly) throws RocksDBException {
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(!readOnly)
                .setCreateMissingColumnFamilies(!readOnly)
                .setParanoidChecks(true)
                .setAtomicFlush(true)
                .setMaxBackgroundJobs(2)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2);
        ColumnFamilyOptions metaOptions = new ColumnFamilyOptions();
        // Values are ciphertext: compression would only cost time. Large blocks make the full scan on load cheap.
        ColumnFamilyOptions clusterOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(128L << 20)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(64 << 10));
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaOptions),
                new ColumnFamilyDescriptor(META, metaOptions),
                new ColumnFamilyDescriptor(CLUSTERS, clusterOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            String path = dir.toString();
            RocksDB db = readOnly
                    ? RocksDB.openReadOnly(dbOptions, path, descriptors, handles)
                    : RocksDB.open(dbOptions, path, descriptors, handles);
            return new SnapshotDb(dbOptions, metaOptions, clusterOptions, handles, db);
        } catch (RocksDBException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            clusterOptions.close();
            metaOptions.close();
            dbOptions.close();
            throw e;
        }
    }

    ColumnFamilyHandle meta() {
        return handles.get(1);
    }

    ColumnFamilyHandle clusters() {
        return handles.get(2);
    }

    byte[] getMeta(byte[] key) throws RocksDBException {
        return db.get(meta(), key);
    }

    /**
     * Applies the batch atomically and durably. The batch skips the write-ahead log and is flushed at once into
     * checksummed table files; with atomic flush across column families, a crash before the flush completes loses the
     * whole batch and leaves the previous snapshot intact, so it is written once instead of twice.
     */
    void write(WriteBatch batch) throws RocksDBException {
        db.write(unloggedWrites, batch);
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles.subList(1, 3));
        }
    }

    /** An iterator over all clusters; the caller closes it and {@code options}. */
    RocksIterator clusterIterator(ReadOptions options) {
        return db.newIterator(clusters(), options);
    }

    boolean hasClusters() {
        try (ReadOptions options = new ReadOptions(); RocksIterator it = clusterIterator(options)) {
            it.seekToFirst();
            return it.isValid();
        }
    }

    /** A consistent copy in {@code to} (which must not exist): hard links to table files plus the live log. */
    void checkpoint(Path to) throws RocksDBException {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(to.toString());
        }
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw new IllegalStateException("closing the snapshot database failed", e);
        } finally {
            unloggedWrites.close();
            clusterOptions.close();
            metaOptions.close();
            dbOptions.close();
        }
    }
}
