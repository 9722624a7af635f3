package dev.discoveryd.snapshots;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.EnvOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileWriter;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The RocksDB database behind a snapshot store: column family {@code meta} (format and sealed metadata) and
 * {@code clusters} (one sealed value per cluster under its blinded ID). Owns every native handle it opens.
 */
final class SnapshotDb implements AutoCloseable {
    static final byte[] META = "meta".getBytes(StandardCharsets.UTF_8);
    static final byte[] CLUSTERS = "clusters".getBytes(StandardCharsets.UTF_8);
    /** Meta key: the name of the column family holding the clusters (not secret: RocksDB keeps family names in the clear). */
    static final byte[] FAMILY_KEY = "clusters-family".getBytes(StandardCharsets.UTF_8);
    /** The clusters' memtable: it holds at most one save of up to {@code SnapshotStore}'s batch limit at a time. */
    static final long WRITE_BUFFER_BYTES = 32L << 20;
    /** Table files of a new generation are cut at this size. */
    static final long FILE_BYTES = 64L << 20;
    private static final String INGEST_DIR = "next-generation";

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

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions metaOptions;
    private final ColumnFamilyOptions clusterOptions;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final WriteOptions unloggedWrites;
    private volatile ColumnFamilyHandle clusters;
    private int generation;

    private SnapshotDb(Path dir, DBOptions dbOptions, ColumnFamilyOptions metaOptions,
                       ColumnFamilyOptions clusterOptions, List<ColumnFamilyHandle> handles, RocksDB db,
                       ColumnFamilyHandle clusters, int generation) {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.metaOptions = metaOptions;
        this.clusterOptions = clusterOptions;
        this.handles = handles;
        this.db = db;
        this.clusters = clusters;
        this.generation = generation;
        this.unloggedWrites = new WriteOptions().setDisableWAL(true);
    }

    /**
     * Opens (creating when {@code readOnly} is false) the database in {@code dir}. The clusters live in the column
     * family the meta key {@link #FAMILY_KEY} names ({@code clusters} when absent: every database before generations);
     * when writable, any other cluster family (left by a save a crash cut short, or the generation a save replaced)
     * is dropped.
     */
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
        // The memtable only ever holds one small save (see SnapshotStore): large ones bypass it as table files.
        ColumnFamilyOptions clusterOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(64 << 10));
        List<byte[]> names = new ArrayList<>(List.of(RocksDB.DEFAULT_COLUMN_FAMILY, META));
        if (Files.exists(dir.resolve("CURRENT"))) {
            try (Options listing = new Options()) {
                RocksDB.listColumnFamilies(listing, dir.toString()).stream()
                        .filter(n -> !Arrays.equals(n, RocksDB.DEFAULT_COLUMN_FAMILY) && !Arrays.equals(n, META))
                        .forEach(names::add);
            }
        }
        if (names.size() == 2) {
            names.add(CLUSTERS);
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            descriptors.add(new ColumnFamilyDescriptor(names.get(i), i < 2 ? metaOptions : clusterOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            String path = dir.toString();
            db = readOnly
                    ? RocksDB.openReadOnly(dbOptions, path, descriptors, handles)
                    : RocksDB.open(dbOptions, path, descriptors, handles);
            byte[] named = db.get(handles.get(1), FAMILY_KEY);
            byte[] live = named == null ? CLUSTERS : named;
            ColumnFamilyHandle clusters = null;
            int generation = 0;
            for (int i = 2; i < names.size(); i++) {
                generation = Math.max(generation, generationOf(names.get(i)));
                if (Arrays.equals(names.get(i), live)) {
                    clusters = handles.get(i);
                }
            }
            if (clusters == null) {
                throw new RocksDBException("snapshot metadata names column family " + new String(live, UTF_8)
                        + ", which the database does not have");
            }
            if (!readOnly) {
                for (int i = handles.size() - 1; i >= 2; i--) {
                    if (handles.get(i) != clusters) {
                        db.dropColumnFamily(handles.get(i));
                        handles.remove(i).close();
                    }
                }
                deleteTree(dir.resolve(INGEST_DIR));
            }
            return new SnapshotDb(dir, dbOptions, metaOptions, clusterOptions, handles, db, clusters, generation);
        } catch (RocksDBException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            clusterOptions.close();
            metaOptions.close();
            dbOptions.close();
            throw e;
        }
    }

    ColumnFamilyHandle meta() {
        return handles.get(1);
    }

    /** The column family the current snapshot's clusters are in (it changes with {@link NextClusters#commit}). */
    ColumnFamilyHandle clusters() {
        return clusters;
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
            db.flush(flush, List.of(meta(), clusters));
        }
    }

    /**
     * Starts a new generation of the clusters: {@link NextClusters#put} the whole content in ascending key order
     * (RocksDB's bytewise order) into table files, then {@link NextClusters#commit} ingests them into a fresh column
     * family and switches the snapshot to it atomically with the metadata. Memory stays bounded whatever the size:
     * one data block and one file's index at a time. Until committed, nothing the snapshot reads changes, and a crash
     * leaves only an unnamed family and files that the next {@link #open} removes. One at a time.
     */
    NextClusters nextClusters() throws RocksDBException {
        return new NextClusters();
    }

    /** A generation of the clusters being written; see {@link #nextClusters}. */
    final class NextClusters implements AutoCloseable {
        private final Path files = dir.resolve(INGEST_DIR);
        private final List<String> written = new ArrayList<>();
        private final byte[] name = (new String(CLUSTERS, UTF_8) + "." + (generation + 1)).getBytes(UTF_8);
        private final EnvOptions envOptions;
        private final Options options;
        private SstFileWriter writer;
        private ColumnFamilyHandle created;
        private boolean committed;

        private NextClusters() throws RocksDBException {
            try {
                deleteTree(files);
                Files.createDirectories(files);
            } catch (IOException | UncheckedIOException e) {
                throw new RocksDBException("cannot prepare " + files + ": " + e.getMessage());
            }
            envOptions = new EnvOptions();
            options = new Options(dbOptions, clusterOptions);
        }

        /** Adds an entry; keys must ascend. */
        void put(byte[] key, byte[] value) throws RocksDBException {
            if (writer == null) {
                writer = new SstFileWriter(envOptions, options);
                String file = files.resolve(String.format("%06d.sst", written.size())).toString();
                writer.open(file);
                written.add(file);
            }
            writer.put(key, value);
            if (writer.fileSize() >= FILE_BYTES) {
                finishFile();
            }
        }

        /**
         * Ingests what was put into a new column family, then writes {@code metaBatch} (which must hold only the meta
         * family's keys) plus the name of the new family and flushes it: the switch. The replaced generation is dropped.
         */
        void commit(WriteBatch metaBatch) throws RocksDBException {
            finishFile();
            created = db.createColumnFamily(new ColumnFamilyDescriptor(name, clusterOptions));
            if (!written.isEmpty()) {
                try (IngestExternalFileOptions ingest = new IngestExternalFileOptions()
                        .setMoveFiles(true).setAllowGlobalSeqNo(true).setAllowBlockingFlush(false)) {
                    db.ingestExternalFile(created, written, ingest);
                }
            }
            metaBatch.put(meta(), FAMILY_KEY, name);
            db.write(unloggedWrites, metaBatch);
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, List.of(meta()));
            }
            committed = true;
            ColumnFamilyHandle replaced = clusters;
            clusters = created;
            handles.add(created);
            generation++;
            handles.remove(replaced);
            try {
                db.dropColumnFamily(replaced); // the next open drops it if this fails
            } finally {
                replaced.close();
            }
        }

        private void finishFile() throws RocksDBException {
            if (writer != null) {
                try {
                    writer.finish();
                } finally {
                    writer.close();
                    writer = null;
                }
            }
        }

        /** Abandons an uncommitted generation (its files and family); after a commit only releases resources. */
        @Override
        public void close() {
            if (writer != null) {
                writer.close();
                writer = null;
            }
            if (created != null && !committed) {
                try {
                    db.dropColumnFamily(created);
                } catch (RocksDBException e) {
                    // The next open drops it: the metadata does not name it.
                } finally {
                    created.close();
                }
            }
            try {
                deleteTree(files);
            } catch (UncheckedIOException e) {
                // Left for the next open or save to remove; nothing reads it.
            } finally {
                options.close();
                envOptions.close();
            }
        }
    }

    private static int generationOf(byte[] family) {
        String name = new String(family, UTF_8);
        String prefix = new String(CLUSTERS, UTF_8) + ".";
        if (name.startsWith(prefix)) {
            try {
                return Integer.parseInt(name.substring(prefix.length()));
            } catch (NumberFormatException ignored) {
                return 0;
            }
        }
        return 0;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
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
