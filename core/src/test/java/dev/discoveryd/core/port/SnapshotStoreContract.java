package dev.discoveryd.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.TestEvents;
import dev.discoveryd.core.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link SnapshotStore} must do; each implementation runs it through one small subclass. */
public abstract class SnapshotStoreContract {
    private final List<SnapshotStore> opened = new ArrayList<>();

    /** Opens the store's storage: fresh and empty on the first call, the same storage again on later calls. */
    protected abstract SnapshotStore open() throws Exception;

    private SnapshotStore track(SnapshotStore store) {
        opened.add(store);
        return store;
    }

    /** Closes {@code store} and opens its storage again. */
    private SnapshotStore reopen(SnapshotStore store) throws Exception {
        store.close();
        return track(open());
    }

    @AfterEach
    void closeAll() {
        opened.forEach(SnapshotStore::close);
    }

    private static View view(long seed, int events) {
        View view = new View();
        for (Event e : new TestEvents(seed).next(events)) {
            view.evolve(e);
        }
        return view;
    }

    private static List<ClusterState> copies(View view) {
        List<ClusterState> copies = new ArrayList<>();
        for (ClusterState cluster : view.clusters()) {
            ClusterState copy = new ClusterState(cluster.id());
            cluster.affiliates().forEach(copy::restore);
            copies.add(copy);
        }
        return copies;
    }

    @Test
    void aNewStoreHasNothingAndRefusesIncrementalSaves() throws Exception {
        SnapshotStore store = track(open());
        assertThat(store.load()).isInstanceOf(LoadResult.Missing.class);
        assertThat(store.covered()).isEmpty();
        assertThat(store.acceptsIncremental()).isFalse();
        assertThatThrownBy(() -> store.save(LogPosition.of(1L), List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReplacedViewLoadsBackWithItsPosition() throws Exception {
        View view = view(1, 300);
        SnapshotStore store = track(open());
        store.load();
        SaveResult saved = store.replace(LogPosition.of(3, 9), copies(view));
        assertThat(saved.covered()).isEqualTo(LogPosition.of(3, 9));
        assertThat(saved.stats().clusters()).isEqualTo(view.clusterCount());
        assertThat(store.covered()).hasValue(LogPosition.of(3, 9));
        store = reopen(store);
        LoadResult.Loaded loaded = (LoadResult.Loaded) store.load();
        assertThat(loaded.view()).isEqualTo(view);
        assertThat(loaded.covered()).isEqualTo(LogPosition.of(3, 9));
        assertThat(store.acceptsIncremental()).isTrue();
    }

    @Test
    void incrementalSavesWriteChangesAndRemovals() throws Exception {
        View view = view(2, 200);
        SnapshotStore store = track(open());
        store.load();
        store.replace(LogPosition.of(10L), copies(view));
        List<ClusterState> clusters = new ArrayList<>(view.clusters());
        ClusterState gone = clusters.get(0);
        ClusterState emptied = clusters.get(1);
        ClusterState empty = new ClusterState(emptied.id());
        SaveResult saved = store.save(LogPosition.of(11L), List.of(empty), Set.of(gone.id()));
        assertThat(saved.removed()).isEqualTo(2);
        store = reopen(store);
        LoadResult.Loaded loaded = (LoadResult.Loaded) store.load();
        assertThat(loaded.covered()).isEqualTo(LogPosition.of(11L));
        assertThat(loaded.view().cluster(gone.id())).isNull();
        assertThat(loaded.view().cluster(emptied.id())).isNull();
        assertThat(loaded.view().clusterCount()).isEqualTo(view.clusterCount() - 2);
    }

    @Test
    void thePositionNeverGoesBack() throws Exception {
        SnapshotStore store = track(open());
        store.load();
        store.replace(LogPosition.of(5L), copies(view(3, 50)));
        assertThatThrownBy(() -> store.save(LogPosition.of(4L), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        store.save(LogPosition.of(5L), List.of(), List.of());
        assertThat(store.covered()).hasValue(LogPosition.of(5L));
    }
}
