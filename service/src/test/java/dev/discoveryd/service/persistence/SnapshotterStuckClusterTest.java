package dev.discoveryd.service.persistence;

import dev.discoveryd.service.state.NoBytesEncoder;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.InMemoryEventLog;
import dev.discoveryd.service.state.ChangeEncoder;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.Journal;
import dev.discoveryd.snapshots.SnapshotStore;
import dev.discoveryd.snapshots.SnapshotWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17 item 9: one cluster whose write never settles must not stop snapshots of the others, and the snapshot must
 * not claim a log index whose events that cluster has not applied (a restart would lose them).
 */
class SnapshotterStuckClusterTest {
    @TempDir
    Path dir;

    private final InMemoryEventLog log = new InMemoryEventLog();
    /** The write of cluster "stuck" reaches the log, but its completion is held back until the test releases it. */
    private final CompletableFuture<Long> stuckWrite = new CompletableFuture<>();
    private final Journal journal = event -> {
        CompletableFuture<LogPosition> written = log.append(event);
        return event.clusterId().equals("stuck") ? stuckWrite.thenCombine(written, (a, b) -> b) : written;
    };
    private final ChangeEncoder encoder = new NoBytesEncoder();
    private ClusterRegistry registry;
    private final AtomicInteger unsettledReported = new AtomicInteger(-1);
    private SnapshotStore store;
    private Snapshotter snapshotter;

    @AfterEach
    void close() {
        if (snapshotter != null) {
            stuckWrite.complete(0L);
            snapshotter.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        store = SnapshotStore.open(dir.resolve("snapshots"), new KeyRingCipher(KeyRing.loadOrCreate(dir, List.of())));
        StorageObserver observer = new StorageObserver() {
            @Override
            public void unsettled(int clusters) {
                unsettledReported.set(clusters);
            }
        };
        snapshotter = new Snapshotter(new SnapshotWriter(store), log, true, LogPosition.START, r -> { },
                observer, Duration.ofMillis(100));
        registry = new ClusterRegistry(journal, encoder, snapshotter,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        snapshotter.start(registry, Duration.ofHours(1));
    }

    private CompletableFuture<Void> update(String cluster, String affiliate) {
        return registry.update(cluster, affiliate, new byte[]{1}, List.of(), Duration.ofMinutes(5), Runnable::run);
    }

    private LoadResult.Loaded stored() throws Exception {
        store.close();
        store = SnapshotStore.open(dir.resolve("snapshots"), new KeyRingCipher(KeyRing.loadOrCreate(dir, List.of())));
        return (LoadResult.Loaded) store.load();
    }

    @Test
    void aStuckClusterPostponesOnlyTheCoveredIndex() throws Exception {

        update("healthy", "h1").get(5, TimeUnit.SECONDS);
        snapshotter.saveNow().get(30, TimeUnit.SECONDS);
        LogPosition firstCovered = log.end();

        CompletableFuture<Void> stuck = update("stuck", "s1");
        update("healthy", "h2").get(5, TimeUnit.SECONDS);
        snapshotter.saveNow().get(30, TimeUnit.SECONDS);
        assertThat(stuck).isNotDone();
        assertThat(unsettledReported).hasValue(1);

        snapshotter.close();
        snapshotter = null;
        LoadResult.Loaded loaded = stored();
        // The healthy cluster's later change is saved, but the index stays before the stuck cluster's event.
        assertThat(loaded.view().cluster("healthy").affiliates()).hasSize(2);
        assertThat(loaded.covered()).isEqualTo(firstCovered);
        // So a restart replays that event: nothing the log holds is lost.
        View restarted = loaded.view();
        log.replay(loaded.covered(), (index, event) -> restarted.evolve(event));
        assertThat(restarted.cluster("stuck").affiliates()).hasSize(1);
    }

    @Test
    void coverageCatchesUpOnceTheClusterSettles() throws Exception {

        CompletableFuture<Void> stuck = update("stuck", "s1");
        update("healthy", "h1").get(5, TimeUnit.SECONDS);
        snapshotter.saveNow().get(30, TimeUnit.SECONDS);
        assertThat(unsettledReported).hasValue(1);

        stuckWrite.complete(0L);
        stuck.get(5, TimeUnit.SECONDS);
        snapshotter.saveNow().get(30, TimeUnit.SECONDS);
        assertThat(unsettledReported).hasValue(0);
        snapshotter.close();
        snapshotter = null;
        LoadResult.Loaded loaded = stored();
        assertThat(loaded.covered()).isEqualTo(log.end());
        assertThat(loaded.view().cluster("stuck").affiliates()).hasSize(1);
    }
}
