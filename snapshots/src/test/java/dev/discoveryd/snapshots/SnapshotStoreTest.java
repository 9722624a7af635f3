package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.View;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.discoveryd.snapshots.Fixtures.affiliate;
import static dev.discoveryd.snapshots.Fixtures.cluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotStoreTest {
    @TempDir
    Path tmp;
    private final TestCipher cipher = new TestCipher();

    private Path dir() {
        return tmp.resolve("snapshot");
    }

    private LoadResult reload() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            return store.load();
        }
    }

    @Test
    void aNewDirectoryHasNoSnapshotAndRefusesIncrementalSaves() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            assertThat(store.load()).isInstanceOf(LoadResult.Missing.class);
            assertThat(store.covered()).isEmpty();
            assertThat(store.acceptsIncremental()).isFalse();
            assertThatThrownBy(() -> store.save(Fixtures.at(1), List.of(), List.of())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void replaceThenLoadGivesTheSameViewIndexAndTotals() throws IOException {
        List<ClusterState> clusters = Fixtures.clusters(5, 3, "v1");
        SaveResult saved;
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            saved = store.replace(Fixtures.at(42), clusters);
            assertThat(store.covered()).hasValue(Fixtures.at(42));
        }
        assertThat(saved.written()).isEqualTo(5);
        assertThat(saved.stats().clusters()).isEqualTo(5);
        assertThat(saved.stats().affiliates()).isEqualTo(15);
        assertThat(saved.stats().endpoints()).isEqualTo(30);
        assertThat(saved.stats().sizeBytes()).isPositive();

        LoadResult.Loaded loaded = (LoadResult.Loaded) reload();
        assertThat(loaded.view()).isEqualTo(Fixtures.view(clusters));
        assertThat(loaded.covered().offset(0)).isEqualTo(42);
        assertThat(loaded.stats()).usingRecursiveComparison().ignoringFields("duration").isEqualTo(saved.stats());
    }

    @Test
    void incrementalSavesWriteChangesAndRemoveForgottenClusters() throws IOException {
        List<ClusterState> initial = Fixtures.clusters(4, 2, "v1");
        ClusterState changed = cluster("cluster-1", affiliate("new", "changed", 9, "e"));
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(10), initial);
            SaveResult result = store.save(Fixtures.at(11), List.of(changed, new ClusterState("cluster-2")), Set.of("cluster-3"));
            assertThat(result.written()).isEqualTo(1);
            assertThat(result.removed()).isEqualTo(2);
            assertThat(result.stats().clusters()).isEqualTo(2);
            assertThat(result.stats().affiliates()).isEqualTo(3);
            assertThat(result.stats().endpoints()).isEqualTo(5);
        }
        LoadResult.Loaded loaded = (LoadResult.Loaded) reload();
        assertThat(loaded.covered().offset(0)).isEqualTo(11);
        assertThat(loaded.view()).isEqualTo(Fixtures.view(List.of(initial.get(0), changed)));
        assertThat(loaded.stats().clusters()).isEqualTo(2);
    }

    @Test
    void incrementalSavesAreAllowedAfterALoadAndTheIndexNeverGoesBack() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(5), Fixtures.clusters(2, 1, "a"));
        }
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            assertThat(store.load()).isInstanceOf(LoadResult.Loaded.class);
            assertThat(store.acceptsIncremental()).isTrue();
            assertThatThrownBy(() -> store.save(Fixtures.at(4), List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
            store.save(Fixtures.at(6), List.of(), List.of("cluster-0"));
        }
        assertThat(((LoadResult.Loaded) reload()).view().clusterCount()).isEqualTo(1);
    }

    @Test
    void aKeyRotationReKeysEveryEntrySoTheOldKeyCanBeRetired() throws IOException {
        List<ClusterState> clusters = Fixtures.clusters(6, 2, "v1");
        ClusterState changed = cluster("cluster-0", affiliate("only", "after-rotation", 3));
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(1), clusters);
            cipher.rotate();
            SaveResult result = store.save(Fixtures.at(2), List.of(changed), List.of("cluster-5"));
            assertThat(result.rekeyed()).isTrue();
            assertThat(result.stats().clusters()).isEqualTo(5);
            assertThat(store.save(Fixtures.at(3), List.of(), List.of()).rekeyed()).isFalse();
        }
        cipher.retire(0);

        LoadResult.Loaded loaded = (LoadResult.Loaded) reload();
        View expected = Fixtures.view(List.of(changed, clusters.get(1), clusters.get(2), clusters.get(3), clusters.get(4)));
        assertThat(loaded.view()).isEqualTo(expected);
        assertThat(loaded.stats().clusters()).isEqualTo(5);
    }

    @Test
    void aSnapshotSealedWithOtherKeysFailsIsMovedAsideAndMustBeReplaced() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(7), Fixtures.clusters(3, 1, "x"));
        }
        TestCipher other = new TestCipher();
        try (SnapshotStore store = SnapshotStore.open(dir(), other)) {
            LoadResult result = store.load();
            assertThat(result).isInstanceOf(LoadResult.Failed.class);
            assertThat(((LoadResult.Failed) result).cause()).isNotNull();
            assertThat(Files.isDirectory(tmp.resolve("snapshot.unreadable"))).isTrue();
            assertThat(store.covered()).isEmpty();
            assertThatThrownBy(() -> store.save(Fixtures.at(8), List.of(), List.of())).isInstanceOf(IllegalStateException.class);
            store.replace(Fixtures.at(8), Fixtures.clusters(1, 1, "y"));
        }
        try (SnapshotStore store = SnapshotStore.open(dir(), other)) {
            assertThat(((LoadResult.Loaded) store.load()).covered().offset(0)).isEqualTo(8);
        }
    }

    @Test
    void aDirectoryInUseIsRefusedNotMovedAside() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(1), Fixtures.clusters(1, 1, "x"));
            assertThatThrownBy(() -> SnapshotStore.open(dir(), cipher)).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
            assertThat(store.covered()).hasValue(Fixtures.at(1));
        }
        assertThat(Files.exists(tmp.resolve("snapshot.unreadable"))).isFalse();
        assertThat(reload()).isInstanceOf(LoadResult.Loaded.class);
    }

    @Test
    void clustersOfEverySizeAcrossAllKeyRangesLoadAsSavedAndStayDeferredUntilRead() throws IOException {
        List<ClusterState> clusters = new java.util.ArrayList<>(Fixtures.clusters(600, 2, "many"));
        // Larger than the loader's first read buffer and than one of its 4 MiB buffers.
        ClusterState big = cluster("big-one", affiliate("small", "d", 5, "ep"));
        big.restore(dev.discoveryd.core.Affiliate.restore("huge", new byte[5 << 20], 7, new byte[][]{new byte[9]}, new long[]{8}));
        clusters.add(big);
        try (SnapshotStore store = SnapshotStore.open(dir(), cipher)) {
            store.load();
            store.replace(Fixtures.at(3), clusters);
        }

        LoadResult loaded = reload();

        View view = ((LoadResult.Loaded) loaded).view();
        assertThat(view.clusterCount()).isEqualTo(601);
        assertThat(view.clusters()).allMatch(ClusterState::isDeferred);
        View expected = new View();
        clusters.forEach(expected::restore);
        assertThat(view).isEqualTo(expected);
    }
}
