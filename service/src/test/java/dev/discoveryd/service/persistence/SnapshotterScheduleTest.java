package dev.discoveryd.service.persistence;

import dev.discoveryd.service.state.NoBytesEncoder;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.InMemoryEventLog;
import dev.discoveryd.service.e2e.MutableClock;
import dev.discoveryd.service.schedule.ManualScheduler;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.snapshots.SnapshotStore;
import dev.discoveryd.snapshots.SnapshotWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots on their schedule with a hand-moved clock: nothing before the interval, the applied position after. */
class SnapshotterScheduleTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final InMemoryEventLog log = new InMemoryEventLog();
    private SnapshotStore store;
    private Snapshotter snapshotter;

    @AfterEach
    void close() {
        if (snapshotter != null) {
            snapshotter.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void savesEveryIntervalWithThePositionTheClustersApplied() throws Exception {
        store = SnapshotStore.open(dir.resolve("snapshots"), new KeyRingCipher(KeyRing.loadOrCreate(dir, List.of())));
        snapshotter = new Snapshotter(new SnapshotWriter(store), log, true, LogPosition.START, r -> { },
                StorageObserver.NONE, Duration.ofSeconds(1), scheduler);
        ClusterRegistry registry = new ClusterRegistry(log::append, new NoBytesEncoder(), snapshotter, clock);
        snapshotter.start(registry, Duration.ofMinutes(5));
        registry.update("c", "a", new byte[]{1}, List.of(), Duration.ofMinutes(30), Runnable::run).get();

        scheduler.advance(Duration.ofMinutes(4));
        assertThat(store.covered()).isEmpty();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(store.covered()).hasValue(log.end());

        registry.update("c", "b", new byte[]{2}, List.of(), Duration.ofMinutes(30), Runnable::run).get();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(store.covered()).hasValue(LogPosition.of(1L)).hasValue(log.end());
    }
}
