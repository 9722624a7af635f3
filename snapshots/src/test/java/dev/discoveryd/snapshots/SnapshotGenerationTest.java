package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.discoveryd.snapshots.Fixtures.affiliate;
import static dev.discoveryd.snapshots.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large saves stream a new generation of the clusters (a column family filled from table files) and switch to it
 * with the metadata; whatever a crash leaves of a save that did not switch is removed at the next open.
 */
class SnapshotGenerationTest {
    @TempDir
    Path tmp;
    private final TestCipher cipher = new TestCipher();

    private Path dir() {
        return tmp.resolve("snapshot");
    }

    private LoadResult.Loaded reload() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            return (LoadResult.Loaded) store.load();
        }
    }

    @Test
    void aLargeSaveMergesTheChangesWithTheUnchangedEntriesIntoANewGeneration() throws Exception {
        List<ClusterState> initial = Fixtures.clusters(300, 3, "v1");
        ClusterState changed = cluster("cluster-1", affiliate("new", "changed", 9, "e"));
        ClusterState added = cluster("cluster-new", affiliate("a", "added", 4));
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(10), initial);
            assertThat(families()).containsExactly("default", "meta", "clusters.1");
            store.batchLimit(0);
            SaveResult result = store.save(Fixtures.at(11), List.of(changed, new ClusterState("cluster-2"), added),
                    Set.of("cluster-3", "never-there"));
            assertThat(result.written()).isEqualTo(2);
            assertThat(result.removed()).isEqualTo(3);
            assertThat(result.stats().clusters()).isEqualTo(299);
            assertThat(result.stats().affiliates()).isEqualTo(297 * 3 + 2);
        }
        assertThat(families()).containsExactly("default", "meta", "clusters.2");
        assertThat(Files.exists(dir().resolve("next-generation"))).isFalse();

        List<ClusterState> expected = new ArrayList<>(initial);
        expected.set(1, changed);
        expected.remove(3);
        expected.remove(2);
        expected.add(added);
        LoadResult.Loaded loaded = reload();
        assertThat(loaded.view()).isEqualTo(Fixtures.view(expected));
        assertThat(loaded.covered().offset(0)).isEqualTo(11);

        // A small save goes into the current generation.
        ClusterState again = cluster("cluster-5", affiliate("b", "small", 7, "x"));
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            assertThat(store.save(Fixtures.at(12), List.of(again), List.of("cluster-6")).written()).isEqualTo(1);
        }
        assertThat(families()).containsExactly("default", "meta", "clusters.2");
        expected.set(expected.indexOf(initial.get(5)), again);
        expected.remove(initial.get(6));
        assertThat(reload().view()).isEqualTo(Fixtures.view(expected));
    }

    @Test
    void aSaveCutShortBeforeItsSwitchLeavesThePreviousSnapshotAndIsRemovedAtTheNextOpen() throws Exception {
        List<ClusterState> initial = Fixtures.clusters(20, 2, "v1");
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(5), initial);
        }
        // As a crash leaves it: table files written, and a next generation ingested but not named by the metadata.
        Files.createDirectories(dir().resolve("next-generation"));
        Files.write(dir().resolve("next-generation/000000.sst"), new byte[100]);
        raw((db, families) -> {
            ColumnFamilyHandle next = db.createColumnFamily(new ColumnFamilyDescriptor(bytes("clusters.2")));
            try {
                db.put(next, bytes("junk"), bytes("not a sealed cluster"));
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flush, next);
                }
            } finally {
                next.close();
            }
        });

        LoadResult.Loaded loaded = reload();

        assertThat(loaded.view()).isEqualTo(Fixtures.view(initial));
        assertThat(loaded.covered().offset(0)).isEqualTo(5);
        assertThat(families()).containsExactly("default", "meta", "clusters.1");
        assertThat(Files.exists(dir().resolve("next-generation"))).isFalse();
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.batchLimit(0);
            store.save(Fixtures.at(6), List.of(initial.get(1)), List.of("cluster-0"));
        }
        assertThat(families()).containsExactly("default", "meta", "clusters.2");
        assertThat(reload().view()).isEqualTo(Fixtures.view(initial.subList(1, initial.size())));
    }

    @Test
    void aSwitchCutShortBeforeTheReplacedGenerationWasDroppedLoadsTheNewOne() throws Exception {
        List<ClusterState> initial = Fixtures.clusters(20, 2, "v1");
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(5), initial);
        }
        raw((db, families) -> {
            ColumnFamilyHandle old = db.createColumnFamily(new ColumnFamilyDescriptor(bytes("clusters")));
            try {
                db.put(old, bytes("junk"), bytes("the replaced generation"));
            } finally {
                old.close();
            }
        });

        assertThat(reload().view()).isEqualTo(Fixtures.view(initial));
        assertThat(families()).containsExactly("default", "meta", "clusters.1");
    }

    @Test
    void aDatabaseFromBeforeGenerationsLoadsTakesSmallSavesAndMovesToAGenerationOnALargeOne() throws Exception {
        List<ClusterState> initial = Fixtures.clusters(20, 2, "v1");
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(5), initial);
        }
        // The layout every database had before generations: the clusters in "clusters", no name in the metadata.
        raw((db, families) -> {
            ColumnFamilyHandle old = db.createColumnFamily(new ColumnFamilyDescriptor(bytes("clusters")));
            try (ReadOptions options = new ReadOptions(); RocksIterator it = db.newIterator(families.get("clusters.1"), options)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    db.put(old, it.key(), it.value());
                }
                db.delete(families.get("meta"), SnapshotDb.FAMILY_KEY);
                db.dropColumnFamily(families.get("clusters.1"));
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flush, List.of(old, families.get("meta")));
                }
            } finally {
                old.close();
            }
        });
        assertThat(families()).containsExactly("default", "meta", "clusters");
        assertThat(reload().view()).isEqualTo(Fixtures.view(initial));

        ClusterState changed = cluster("cluster-0", affiliate("n", "changed", 9));
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.save(Fixtures.at(6), List.of(changed), List.of());
        }
        assertThat(families()).containsExactly("default", "meta", "clusters");
        List<ClusterState> expected = new ArrayList<>(initial);
        expected.set(0, changed);
        assertThat(reload().view()).isEqualTo(Fixtures.view(expected));

        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.batchLimit(0);
            store.save(Fixtures.at(7), List.of(changed), List.of("cluster-1"));
        }
        assertThat(families()).containsExactly("default", "meta", "clusters.1");
        expected.remove(1);
        LoadResult.Loaded loaded = reload();
        assertThat(loaded.view()).isEqualTo(Fixtures.view(expected));
        assertThat(loaded.covered().offset(0)).isEqualTo(7);
    }

    @Test
    void metadataNamingAMissingGenerationIsAnUnreadableSnapshotMovedAside() throws Exception {
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(5), Fixtures.clusters(3, 1, "v1"));
        }
        raw((db, families) -> {
            db.put(families.get("meta"), SnapshotDb.FAMILY_KEY, bytes("clusters.7"));
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, families.get("meta"));
            }
        });
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            assertThat(store.load()).isInstanceOf(LoadResult.Failed.class);
            assertThat(Files.isDirectory(tmp.resolve("snapshot.unreadable"))).isTrue();
            store.replace(Fixtures.at(6), Fixtures.clusters(1, 1, "v2"));
        }
        assertThat(reload().view().clusterCount()).isEqualTo(1);
    }

    private interface RawWork {
        void run(RocksDB db, Map<String, ColumnFamilyHandle> families) throws Exception;
    }

    /** Opens the database with plain RocksDB (every family), as something other than the store would. */
    private void raw(RawWork work) throws Exception {
        RocksNative.load();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options listing = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(listing, dir().toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setAtomicFlush(true);
             RocksDB db = RocksDB.open(options, dir().toString(), descriptors, handles)) {
            Map<String, ColumnFamilyHandle> families = new LinkedHashMap<>();
            for (int i = 0; i < handles.size(); i++) {
                families.put(new String(descriptors.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
            }
            try {
                work.run(db, families);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    private List<String> families() throws Exception {
        RocksNative.load();
        try (Options listing = new Options()) {
            return RocksDB.listColumnFamilies(listing, dir().toString()).stream()
                    .map(n -> new String(n, StandardCharsets.UTF_8)).toList();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
