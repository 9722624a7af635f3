package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import dev.discoveryd.core.port.StorageStats;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Snapshots kept in memory, for tests and fakes of the service's storage: the same protocol as the RocksDB store
 * (incremental saves only after a load or replace, positions never going back), copies in and out so the caller's
 * clusters are never shared. {@link #close} keeps the content: a store opened again with {@link #reopen} sees it.
 */
public final class InMemorySnapshotStore implements dev.discoveryd.core.port.SnapshotStore {
    private final Map<String, ClusterState> clusters;
    private LogPosition covered;
    private boolean incrementalAllowed;

    public InMemorySnapshotStore() {
        this(new HashMap<>(), null);
    }

    private InMemorySnapshotStore(Map<String, ClusterState> clusters, LogPosition covered) {
        this.clusters = clusters;
        this.covered = covered;
    }

    /** A new handle on the same content, as after a restart. */
    public synchronized InMemorySnapshotStore reopen() {
        return new InMemorySnapshotStore(clusters, covered);
    }

    @Override
    public synchronized LoadResult load() {
        if (covered == null) {
            return new LoadResult.Missing();
        }
        View view = new View();
        clusters.values().forEach(c -> view.restore(copy(c)));
        incrementalAllowed = true;
        return new LoadResult.Loaded(view, covered, stats());
    }

    @Override
    public synchronized SaveResult save(LogPosition position, Collection<ClusterState> changed,
                                        Collection<String> removed) {
        if (!incrementalAllowed) {
            throw new IllegalStateException("incremental save before a successful load or replace");
        }
        return write(position, changed, removed);
    }

    @Override
    public synchronized SaveResult replace(LogPosition position, Collection<ClusterState> all) {
        checkForward(position);
        clusters.clear();
        return write(position, all, List.of());
    }

    private void checkForward(LogPosition position) {
        if (covered != null && !position.includes(covered)) {
            throw new IllegalArgumentException("position " + position + " is before the snapshot's " + covered);
        }
    }

    private SaveResult write(LogPosition position, Collection<ClusterState> changed, Collection<String> removed) {
        checkForward(position);
        int written = 0;
        int dropped = 0;
        for (String id : removed) {
            clusters.remove(id);
            dropped++;
        }
        for (ClusterState cluster : changed) {
            if (cluster.isEmpty()) {
                clusters.remove(cluster.id());
                dropped++;
            } else {
                clusters.put(cluster.id(), copy(cluster));
                written++;
            }
        }
        covered = position;
        incrementalAllowed = true;
        return new SaveResult(position, written, dropped, false, stats());
    }

    @Override
    public synchronized boolean acceptsIncremental() {
        return incrementalAllowed;
    }

    @Override
    public synchronized Optional<LogPosition> covered() {
        return Optional.ofNullable(covered);
    }

    @Override
    public void close() {
    }

    private StorageStats stats() {
        long affiliates = 0;
        long endpoints = 0;
        for (ClusterState c : clusters.values()) {
            affiliates += c.size();
            endpoints += c.endpointCount();
        }
        return new StorageStats(clusters.size(), affiliates, endpoints, 0, Duration.ZERO);
    }

    private static ClusterState copy(ClusterState cluster) {
        ClusterState copy = new ClusterState(cluster.id());
        cluster.affiliates().forEach(copy::restore);
        return copy;
    }
}
