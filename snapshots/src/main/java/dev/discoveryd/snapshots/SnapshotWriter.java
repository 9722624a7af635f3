package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;

import dev.discoveryd.core.port.SaveResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that writes a {@link SnapshotStore}: saves queue up and run in order off the caller's thread (never
 * on an event loop), and their futures complete on that thread. After a failed save (an {@link IOException} cause),
 * the next save must be {@link #replace}.
 */
public final class SnapshotWriter implements AutoCloseable {
    private final SnapshotStore store;
    private final ExecutorService owner;

    public SnapshotWriter(SnapshotStore store) {
        this.store = store;
        this.owner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** {@link SnapshotStore#save}, queued. */
    public CompletableFuture<SaveResult> save(LogPosition covered, Collection<ClusterState> changed,
                                              Collection<String> removed) {
        return submit(() -> store.save(covered, changed, removed));
    }

    /** {@link SnapshotStore#replace}, queued. */
    public CompletableFuture<SaveResult> replace(LogPosition covered, Collection<ClusterState> clusters) {
        return submit(() -> store.replace(covered, clusters));
    }

    /** {@link SnapshotStore#checkpoint}, queued after the saves before it. */
    public CompletableFuture<Path> checkpoint(Path to) {
        return submit(() -> {
            store.checkpoint(to);
            return to;
        });
    }

    /** Runs the queued saves to the end, then stops the thread; the store stays open for its owner to close. */
    @Override
    public void close() {
        owner.shutdown();
        try {
            if (!owner.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("snapshot writer did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Job<T> {
        T run() throws IOException;
    }

    private <T> CompletableFuture<T> submit(Job<T> job) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return job.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, owner);
    }
}
