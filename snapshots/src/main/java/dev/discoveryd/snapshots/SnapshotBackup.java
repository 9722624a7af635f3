package dev.discoveryd.snapshots;

import dev.discoveryd.core.port.LoadResult;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Offline snapshot tools: read a snapshot directory without changing it ({@code snapshot inspect}, verifying a backup)
 * and restore a backup made with {@link SnapshotStore#checkpoint} ({@code snapshot restore}). Backups are taken from
 * the running service with {@link SnapshotStore#checkpoint}.
 */
public final class SnapshotBackup {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBackup.class);

    private SnapshotBackup() {
    }

    /**
     * The snapshot in {@code dir}, opened read-only: nothing is written, nothing is moved aside. Use it on a backup or
     * on the data directory of a stopped service (a running one may delete table files under the reader).
     */
    public static LoadResult read(Path dir, SnapshotCipher cipher) {
        long start = System.nanoTime();
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            return new LoadResult.Missing();
        }
        try (SnapshotDb db = SnapshotDb.open(dir, true)) {
            return new SnapshotReader(db, cipher).read(new Tallies(), start).result();
        } catch (RocksDBException | RuntimeException e) {
            return new LoadResult.Failed(String.valueOf(e.getMessage()), e, Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LoadResult.Failed("interrupted", e, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The log head recorded by the snapshot in {@code dir} (opaque bytes from the log), read-only from its metadata
     * alone; empty when there is no snapshot or it recorded none (older formats).
     *
     * @throws IOException when the snapshot exists but its metadata cannot be read
     */
    public static java.util.Optional<byte[]> readLogHead(Path dir, SnapshotCipher cipher) throws IOException {
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            return java.util.Optional.empty();
        }
        try (SnapshotDb db = SnapshotDb.open(dir, true)) {
            byte[] state = db.getMeta(SnapshotMeta.STATE_KEY);
            if (state == null) {
                return java.util.Optional.empty();
            }
            byte[] head = SnapshotMeta.decode(cipher.open(state, SnapshotMeta.STATE_AD)).logHead();
            return head.length == 0 ? java.util.Optional.empty() : java.util.Optional.of(head);
        } catch (RocksDBException | RuntimeException e) {
            throw new IOException("cannot read the snapshot metadata in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the snapshot in {@code dir} with the backup in {@code from}, after checking that the backup loads with
     * {@code cipher}. The service must be stopped. The replaced snapshot is kept in {@code <dir>.previous}.
     *
     * @return the restored snapshot as loaded from its new place's copy
     * @throws IOException when the backup is missing or unreadable (then {@code dir} is left as it was)
     */
    public static LoadResult.Loaded restore(Path from, Path dir, SnapshotCipher cipher) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("no backup in " + from);
        }
        Path staging = Directories.sibling(dir, ".restoring");
        Directories.deleteRecursively(staging);
        Directories.copyRecursively(from, staging);
        LoadResult result = read(staging, cipher);
        if (!(result instanceof LoadResult.Loaded loaded)) {
            Directories.deleteRecursively(staging);
            String why = result instanceof LoadResult.Failed f ? f.reason() : "it holds no snapshot";
            throw new IOException("backup " + from + " cannot be restored: " + why);
        }
        if (Files.exists(dir)) {
            Path previous = Directories.sibling(dir, ".previous");
            Directories.deleteRecursively(previous);
            Files.move(dir, previous, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("snapshot restored from {} into {}: log position {}, {} clusters, {} affiliates", from, dir,
                loaded.covered(), loaded.stats().clusters(), loaded.stats().affiliates());
        return loaded;
    }
}
