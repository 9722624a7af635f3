package dev.discoveryd.core.port;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;

/**
 * Durable copies of the view, each stored atomically with the log position it covers, so that start-up replays only
 * the log after it. Protocol: {@link #load} first. After {@link LoadResult.Loaded} the owner may {@link #save}
 * incrementally (the clusters changed since the previous save); after {@link LoadResult.Missing} or
 * {@link LoadResult.Failed} it replays the log and must {@link #replace} everything once first. Saves come from one
 * thread at a time. Contract kit: {@code SnapshotStoreContract}.
 */
public interface SnapshotStore extends AutoCloseable {
    /** The stored view and its position; never throws for a bad snapshot (that is {@link LoadResult.Failed}). */
    LoadResult load();

    /**
     * Saves the clusters changed since the previous save and removes the forgotten ones, atomically with
     * {@code covered}; an empty cluster counts as removed. Durable when it returns.
     *
     * @throws IllegalStateException    before a successful load or replace, or after a failed save
     * @throws IllegalArgumentException when {@code covered} does not include the stored position
     * @throws IOException              when the storage refuses the write; the previous snapshot stays in force
     */
    SaveResult save(LogPosition covered, Collection<ClusterState> changed, Collection<String> removed)
            throws IOException;

    /** Replaces the whole snapshot with {@code clusters} (after a full replay, or to start afresh). */
    SaveResult replace(LogPosition covered, Collection<ClusterState> clusters) throws IOException;

    /** Whether {@link #save} may be called. */
    boolean acceptsIncremental();

    /** The position the latest durable snapshot covers, empty when there is none. */
    Optional<LogPosition> covered();

    @Override
    void close();
}
