package dev.discoveryd.snapshots;

import dev.discoveryd.core.port.LoadResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A damaged or deleted snapshot is reported as {@link LoadResult.Failed}; a missing one as {@link LoadResult.Missing}. */
class SnapshotDamageTest {
    @TempDir
    Path tmp;
    private final TestCipher cipher = new TestCipher();
    private Path dir;

    @BeforeEach
    void saveASnapshot() throws IOException {
        dir = tmp.resolve("snapshot");
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            store.load();
            store.replace(Fixtures.at(100), Fixtures.clusters(50, 4, "v"));
        }
        assertThat(load()).isInstanceOf(LoadResult.Loaded.class);
    }

    private LoadResult load() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            return store.load();
        }
    }

    /** Loads the damaged snapshot, expects a failure, then expects the store to start over empty. */
    private void assertFailsThenStartsOver() throws IOException {
        LoadResult result = load();
        assertThat(result).isInstanceOf(LoadResult.Failed.class);
        assertThat(((LoadResult.Failed) result).reason()).isNotBlank();
        assertThat(tmp.resolve("snapshot.unreadable")).isDirectory();
        assertThat(load()).isInstanceOf(LoadResult.Missing.class);
    }

    @Test
    void aFlippedByteInATableFileFails() throws IOException, RocksDBException {
        byte[] value = rawEntries().get(7)[1];
        boolean flipped = false;
        for (Path file : files(".sst")) {
            byte[] bytes = Files.readAllBytes(file);
            int at = indexOf(bytes, value);
            if (at >= 0) {
                bytes[at + value.length / 2] ^= 0x01;
                Files.write(file, bytes);
                flipped = true;
            }
        }
        assertThat(flipped).as("the value was found in a table file").isTrue();
        assertFailsThenStartsOver();
    }

    @Test
    void deletedTableFilesFail() throws IOException {
        List<Path> tables = files(".sst");
        assertThat(tables).isNotEmpty();
        for (Path table : tables) {
            Files.delete(table);
        }
        assertFailsThenStartsOver();
    }

    @Test
    void aDeletedCurrentFileFailsInsteadOfLookingNew() throws IOException {
        Files.delete(dir.resolve("CURRENT"));
        assertFailsThenStartsOver();
    }

    @Test
    void valuesSwappedBetweenKeysFail() throws IOException, RocksDBException {
        List<byte[][]> entries = rawEntries();
        try (SnapshotDb db = SnapshotDb.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.put(db.clusters(), entries.get(0)[0], entries.get(1)[1]);
            batch.put(db.clusters(), entries.get(1)[0], entries.get(0)[1]);
            db.write(batch);
        }
        assertFailsThenStartsOver();
    }

    @Test
    void aDeletedEntryFails() throws IOException, RocksDBException {
        byte[] key = rawEntries().get(3)[0];
        try (SnapshotDb db = SnapshotDb.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.delete(db.clusters(), key);
            db.write(batch);
        }
        assertFailsThenStartsOver();
    }

    @Test
    void damagedMetadataFails() throws IOException, RocksDBException {
        try (SnapshotDb db = SnapshotDb.open(dir, false); WriteBatch batch = new WriteBatch()) {
            batch.put(db.meta(), SnapshotMeta.STATE_KEY, TestCipher.random(80));
            db.write(batch);
        }
        assertFailsThenStartsOver();
    }

    @Test
    void aDeletedDirectoryIsNoSnapshot() throws IOException {
        Directories.deleteRecursively(dir);
        assertThat(load()).isInstanceOf(LoadResult.Missing.class);
        assertThat(tmp.resolve("snapshot.unreadable")).doesNotExist();
    }

    private List<byte[][]> rawEntries() throws RocksDBException {
        List<byte[][]> entries = new ArrayList<>();
        try (SnapshotDb db = SnapshotDb.open(dir, true); ReadOptions options = new ReadOptions();
             RocksIterator it = db.clusterIterator(options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                entries.add(new byte[][]{it.key(), it.value()});
            }
        }
        assertThat(entries).hasSize(50);
        return entries;
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).toList();
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
