package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots store a {@link LogPosition} and the log head (format 3); those of format 2 (no head) and format 1 (a bare
 * log index) still load.
 */
class SnapshotFormatTest {
    @TempDir
    Path tmp;
    private final TestCipher cipher = new TestCipher();

    @Test
    void aPartitionedPositionRoundTrips() throws Exception {
        Path dir = tmp.resolve("snapshot");
        LogPosition covered = LogPosition.of(7, -1, 12);
        List<ClusterState> clusters = Fixtures.clusters(3, 2, "p");
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            store.load();
            store.replace(covered, clusters);
        }
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            LoadResult.Loaded loaded = (LoadResult.Loaded) store.load();
            assertThat(loaded.covered()).isEqualTo(covered);
            assertThat(loaded.view().clusterCount()).isEqualTo(3);
        }
    }

    @Test
    void aFormatOneSnapshotStillLoadsAndTakesIncrementalSaves() throws Exception {
        Path dir = tmp.resolve("snapshot");
        List<ClusterState> clusters = Fixtures.clusters(4, 2, "old");
        SnapshotMeta written;
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            store.load();
            SaveResult saved = store.replace(LogPosition.of(4242L), clusters);
            written = new SnapshotMeta(saved.covered(), cipher.keyId(), saved.stats().clusters(),
                    saved.stats().affiliates(), saved.stats().endpoints(), saved.stats().sizeBytes());
        }
        // Rewrite the metadata as format 1 laid it out: format, index (long), key id, four totals.
        byte[] key = written.keyId().getBytes(StandardCharsets.UTF_8);
        byte[] formatOne = ByteBuffer.allocate(4 + 8 + 4 + key.length + 32).putInt(1).putLong(4242L)
                .putInt(key.length).put(key).putLong(written.clusters()).putLong(written.affiliates())
                .putLong(written.endpoints()).putLong(written.bytes()).array();
        try (SnapshotDb db = SnapshotDb.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.put(db.meta(), SnapshotMeta.FORMAT_KEY, ByteBuffer.allocate(4).putInt(1).array());
            batch.put(db.meta(), SnapshotMeta.STATE_KEY, cipher.seal(formatOne, SnapshotMeta.STATE_AD));
            db.write(batch);
        }
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            LoadResult.Loaded loaded = (LoadResult.Loaded) store.load();
            assertThat(loaded.covered()).isEqualTo(LogPosition.of(4242L));
            assertThat(loaded.view().clusterCount()).isEqualTo(4);
            assertThat(store.acceptsIncremental()).isTrue();
            store.save(LogPosition.of(4243L), List.of(), List.of("cluster-0"));
        }
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            LoadResult.Loaded loaded = (LoadResult.Loaded) store.load();
            assertThat(loaded.covered()).isEqualTo(LogPosition.of(4243L));
            assertThat(loaded.view().clusterCount()).isEqualTo(3);
        }
    }

    @Test
    void theLogHeadIsRecordedAndAFormatTwoSnapshotWithoutOneStillLoads() throws Exception {
        Path dir = tmp.resolve("snapshot");
        byte[] head = new byte[40];
        head[7] = 9;
        SnapshotMeta written;
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            store.load();
            store.recordLogHead(() -> head);
            SaveResult saved = store.replace(LogPosition.of(77L), Fixtures.clusters(2, 2, "h"));
            written = new SnapshotMeta(saved.covered(), cipher.keyId(), saved.stats().clusters(),
                    saved.stats().affiliates(), saved.stats().endpoints(), saved.stats().sizeBytes());
        }
        assertThat(SnapshotBackup.readLogHead(dir, cipher)).hasValueSatisfying(h -> assertThat(h).isEqualTo(head));
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            store.load();
            assertThat(store.loadedLogHead()).hasValueSatisfying(h -> assertThat(h).isEqualTo(head));
        }
        // Rewrite the metadata as format 2 laid it out: format, position, key id, four totals, no head.
        byte[] key = written.keyId().getBytes(StandardCharsets.UTF_8);
        byte[] position = LogPosition.of(77L).toBytes();
        byte[] formatTwo = ByteBuffer.allocate(4 + position.length + 4 + key.length + 32).putInt(2).put(position)
                .putInt(key.length).put(key).putLong(written.clusters()).putLong(written.affiliates())
                .putLong(written.endpoints()).putLong(written.bytes()).array();
        try (SnapshotDb db = SnapshotDb.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.put(db.meta(), SnapshotMeta.FORMAT_KEY, ByteBuffer.allocate(4).putInt(2).array());
            batch.put(db.meta(), SnapshotMeta.STATE_KEY, cipher.seal(formatTwo, SnapshotMeta.STATE_AD));
            db.write(batch);
        }
        assertThat(SnapshotBackup.readLogHead(dir, cipher)).isEmpty();
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            LoadResult.Loaded loaded = (LoadResult.Loaded) store.load();
            assertThat(loaded.covered()).isEqualTo(LogPosition.of(77L));
            assertThat(loaded.view().clusterCount()).isEqualTo(2);
            assertThat(store.loadedLogHead()).isEmpty();
        }
    }
}
