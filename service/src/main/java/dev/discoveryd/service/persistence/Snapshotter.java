package dev.discoveryd.service.persistence;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.EventLog;
import dev.discoveryd.core.port.SaveResult;
import dev.discoveryd.service.schedule.Scheduler;
import dev.discoveryd.service.schedule.ThreadScheduler;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.StateListener;
import dev.discoveryd.snapshots.DirtyClusters;
import dev.discoveryd.snapshots.SnapshotWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes the clusters changed since the last snapshot, every interval and at shutdown, on its own thread; once a
 * snapshot is durable, the log before it may be compacted away.
 */
final class Snapshotter implements StateListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    private final SnapshotWriter writer;
    private final EventLog log;
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<SaveResult> onSaved;
    private final StorageObserver observer;
    private final Duration settleTimeout;
    private final DirtyClusters dirty = new DirtyClusters();
    private final Scheduler scheduler;
    private ClusterRegistry registry;
    private volatile boolean needsFull;
    private LogPosition lastCovered;
    private int failures;
    private String lastFailure;
    private int unsettled;

    Snapshotter(SnapshotWriter writer, EventLog log, boolean needsFull, LogPosition covered, StorageObserver observer) {
        this(writer, log, needsFull, covered, observer::saved, observer, SETTLE_TIMEOUT,
                new ThreadScheduler("discoveryd-snapshot"));
    }

    Snapshotter(SnapshotWriter writer, EventLog log, boolean needsFull, LogPosition covered, Consumer<SaveResult> onSaved,
                StorageObserver observer, Duration settleTimeout) {
        this(writer, log, needsFull, covered, onSaved, observer, settleTimeout, new ThreadScheduler("discoveryd-snapshot"));
    }

    /** Takes {@code scheduler} over (closes it). */
    Snapshotter(SnapshotWriter writer, EventLog log, boolean needsFull, LogPosition covered, Consumer<SaveResult> onSaved,
                StorageObserver observer, Duration settleTimeout, Scheduler scheduler) {
        this.scheduler = scheduler;
        this.writer = writer;
        this.log = log;
        this.needsFull = needsFull;
        this.lastCovered = covered;
        this.onSaved = onSaved;
        this.observer = observer;
        this.settleTimeout = settleTimeout;
    }

    void start(ClusterRegistry liveRegistry, Duration interval) {
        this.registry = liveRegistry;
        scheduler.every(interval, this::saveQuietly);
    }

    /** Clusters that differ from their stored copy (e.g. changed by the log tail replayed at start-up). */
    void markChanged(java.util.Collection<String> clusterIds) {
        dirty.markAll(clusterIds);
    }

    @Override
    public void applied(Event event, LogPosition position, int affiliateDelta, int endpointDelta) {
        dirty.mark(event.clusterId());
    }

    @Override
    public void clusterForgotten(String clusterId) {
        dirty.mark(clusterId);
    }

    /** Runs on the snapshot thread. A failure repeated every interval (a full disk) is logged once, with its cause. */
    private void saveQuietly() {
        try {
            save();
            if (failures > 0) {
                LOG.info("snapshots saved again after {} failed attempts", failures);
                failures = 0;
                lastFailure = null;
            }
        } catch (Exception e) {
            failures++;
            String cause = rootCause(e);
            if (!cause.equals(lastFailure)) {
                LOG.warn("snapshot failed, retrying with a full snapshot every interval (the same failure again is "
                        + "not logged): {}", reason(e));
                lastFailure = cause;
            }
            needsFull = true;
            observer.saveFailed();
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /** The message of the first cause that is not just a wrapper (of a future, of an unchecked I/O error). */
    private static String reason(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.io.UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** Runs on the snapshot thread. */
    private void save() throws Exception {
        // Everything up to this position is in the live state, so in the copies taken next (see settledPosition).
        ClusterRegistry.Settled settled = registry.settledPosition(settleTimeout);
        int stuck = settled.unsettled();
        LogPosition covered = settled.position().union(lastCovered);
        reportUnsettled(stuck, covered);
        if (stuck > 0) {
            // Some events before `covered` are not in memory yet. Every event not yet applied comes after the
            // position the previous snapshot claimed, so claiming that one again is safe: the changed clusters are
            // still written, and a restart replays the stuck cluster's events from the log.
            covered = lastCovered;
        }
        if (!needsFull && covered.equals(lastCovered) && dirty.size() == 0) {
            if (stuck == 0) {
                observer.upToDate();
            }
            return;
        }
        SaveResult result;
        if (needsFull) {
            dirty.drain();
            List<String> all = new ArrayList<>();
            registry.clusterIds().forEach(all::add);
            result = writer.replace(covered, registry.copyClusters(all)).get();
            needsFull = false;
        } else {
            Set<String> changed = dirty.drain();
            List<ClusterState> copies = registry.copyClusters(changed);
            Set<String> removed = new HashSet<>(changed);
            copies.forEach(c -> removed.remove(c.id()));
            result = writer.save(covered, copies, removed).get();
        }
        lastCovered = covered;
        // SnapshotStore logged the save.
        log.retainFrom(covered);
        onSaved.accept(result);
        if (stuck == 0) {
            observer.upToDate();
        }
    }

    /** Logs a stuck cluster once when it is found and once when it settles, not on every snapshot. */
    private void reportUnsettled(int stuck, LogPosition position) {
        observer.unsettled(stuck);
        if (stuck > 0 && unsettled == 0) {
            LOG.warn("snapshot: {} clusters have changes in flight that did not settle within {} ms; snapshots go on "
                    + "but keep claiming log position {} (log retention waits) until they do", stuck,
                    settleTimeout.toMillis(), lastCovered);
        } else if (stuck == 0 && unsettled > 0) {
            LOG.info("snapshot: the changes in flight settled; snapshots cover the log up to position {} again", position);
        }
        unsettled = stuck;
    }

    /** A snapshot now, e.g. before a backup; completes when it is durable. */
    CompletableFuture<Void> saveNow() {
        return CompletableFuture.runAsync(this::saveQuietly, scheduler.executor());
    }

    /** Writes a last snapshot (clean shutdown) and stops. */
    @Override
    public void close() {
        if (registry != null) {
            try {
                saveNow().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("final snapshot failed: {}", e.toString());
            }
        }
        scheduler.close();
        writer.close();
    }
}
