package dev.discoveryd.service.persistence;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.core.port.EventLog;
import dev.discoveryd.eventlog.EventLogException;
import dev.discoveryd.eventlog.LogHead;
import dev.discoveryd.eventlog.LogOptions;
import dev.discoveryd.eventlog.ReplayProgress;
import dev.discoveryd.eventlog.WriterFaults;
import dev.discoveryd.service.config.PersistenceConfig;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.Journal;
import dev.discoveryd.service.state.StateListener;
import dev.discoveryd.snapshots.SnapshotStore;
import dev.discoveryd.snapshots.SnapshotWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The service's durable state: the at-rest keys and the event log (and, when enabled, snapshots). Opened before any
 * listener, so that the view is rebuilt before the first request.
 */
public final class StateStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

    public static final String SNAPSHOT_DIR = "snapshots";

    private final PersistenceConfig config;
    private final KeyRing keys;
    private final EventLog log;
    /** The same log, for its health (null in memory). */
    private final ChronicleEventLog chronicle;
    private final Clock clock;
    /** The snapshot store, opened and loaded on a thread of its own from {@link #open} on (null without snapshots). */
    private final CompletableFuture<EarlyLoad> snapshotLoad;
    private SnapshotStore snapshots;
    private volatile Snapshotter snapshotter;
    private StorageObserver observer = StorageObserver.NONE;

    private StateStore(PersistenceConfig config, KeyRing keys, ChronicleEventLog log, Clock clock,
                       CompletableFuture<EarlyLoad> snapshotLoad) {
        this.config = config;
        this.keys = keys;
        this.log = log;
        this.chronicle = log;
        this.clock = clock;
        this.snapshotLoad = snapshotLoad;
    }

    /** Where snapshot saves and loads are reported (metrics); set before {@link #recover}. */
    public void observe(StorageObserver storageObserver) {
        this.observer = storageObserver;
        if (chronicle != null) {
            storageObserver.logOpened(chronicle::syncCount);
            storageObserver.logWriter(chronicle::batchCount, chronicle::recordCount, chronicle::wakeupCount);
        }
    }

    /** Opens the keys and the log under the data directory; {@link StartupException} with a clear message on failure. */
    public static StateStore open(PersistenceConfig config, Clock clock) {
        return open(config, clock, WriterFaults.NONE);
    }

    /** As {@link #open(PersistenceConfig, Clock)}, with faults injected into the log writer's path (tests). */
    public static StateStore open(PersistenceConfig config, Clock clock, WriterFaults faults) {
        if (config.inMemory()) {
            LOG.warn("running in memory only (--in-memory): nothing is written to disk, state is lost on restart");
            return new StateStore(config, null, null, clock, null);
        }
        KeyRing keys;
        try {
            keys = KeyRing.loadOrCreate(config.dataDir(), config.keyFiles());
        } catch (RuntimeException e) {
            throw new StartupException("cannot load the at-rest keys: " + e.getMessage(), e);
        }
        LogOptions options = LogOptions.defaults(config.dataDir(), keys)
                .withSync(config.syncPolicy(), config.syncInterval())
                .withRetention(config.retention())
                .withMinFree(config.logMinFree())
                .withClock(clock)
                .withFaults(faults);
        // The snapshot loads while the log opens and the rest of the service starts; recover() waits for it.
        CompletableFuture<EarlyLoad> snapshotLoad = config.snapshotsEnabled() ? loadSnapshotEarly(config, keys) : null;
        try {
            return new StateStore(config, keys, ChronicleEventLog.open(options), clock, snapshotLoad);
        } catch (EventLogException e) {
            closeWhenLoaded(snapshotLoad);
            throw new StartupException("cannot open the event log in " + options.logDir() + ": " + e.getMessage()
                    + "\n  inspect it with: " + ChronicleEventLog.verifyCommand(config.dataDir()), e);
        }
    }

    /**
     * A store without a local log: the changes go to the replicated log instead (it journals, and rebuilds each
     * partition's clusters when this instance takes the partition over), so there is nothing to recover here.
     */
    public static StateStore replicated(PersistenceConfig config, KeyRing keys, Clock clock) {
        return new StateStore(config, keys, null, clock, null);
    }

    /** Rebuilds the view the service had when it stopped: the snapshot, if any, then the log after it. */
    public Recovered recover() {
        if (log == null) {
            return new Recovered(new View(), LogPosition.START);
        }
        long started = System.nanoTime();
        View view = new View();
        LogPosition after = LogPosition.START;
        boolean needsFull = true;
        if (config.snapshotsEnabled()) {
            LoadResult loaded = loadSnapshot();
            if (loaded instanceof LoadResult.Loaded l) {
                checkLogReachesSnapshotHead();
                view = l.view();
                after = l.covered();
                needsFull = false;
            }
        }
        View target = view;
        // Clusters the tail changes differ from their snapshot copy: the next snapshot must write them.
        Set<String> changedByTail = new HashSet<>();
        PrintStream progress = new LogPrintStream(LOG);
        LogPosition[] lastReplayed = {after};
        ReplayProgress counter = new ReplayProgress((position, event) -> {
            target.evolve(event);
            changedByTail.add(event.clusterId());
            lastReplayed[0] = position;
        }, progress, clock, Duration.ofSeconds(2), 0);
        try {
            log.replay(after, counter);
        } catch (EventLogException e) {
            throw new StartupException("the event log is damaged, so the state cannot be rebuilt: " + e.getMessage()
                    + "\n  see which record with: " + ChronicleEventLog.verifyCommand(config.dataDir()), e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("state rebuilt: {} log events replayed{}, {} clusters, {} affiliates, in {} ms", counter.count(),
                after.isStart() ? " (whole log)" : " after snapshot position " + after,
                view.clusterCount(), view.affiliateCount(), millis);
        if (config.snapshotsEnabled()) {
            snapshotter = new Snapshotter(new SnapshotWriter(snapshots), log, needsFull, after, observer);
            snapshotter.markChanged(changedByTail);
        }
        return new Recovered(view, lastReplayed[0]);
    }

    /**
     * Truncation is tamper too: the chain cannot show records cut off the end of the log, but the snapshot recorded
     * the head the log had on disk when it was saved, and the log must still reach it.
     */
    private void checkLogReachesSnapshotHead() {
        Optional<byte[]> recorded = snapshots.loadedLogHead();
        if (recorded.isEmpty()) {
            return; // a snapshot of an older format, or saved while the log was empty
        }
        LogHead head = LogHead.fromBytes(recorded.get());
        String problem = chronicle.headProblem(head);
        if (problem != null) {
            throw new StartupException("the event log is not the one the snapshot was taken from: " + problem
                    + " (the snapshot saw record " + head.index() + "). Changes the service acknowledged would be lost,"
                    + " so it does not start. Restore the log from a backup; or, to accept the loss, move "
                    + config.dataDir().resolve(SNAPSHOT_DIR) + " aside (the whole log is then replayed)"
                    + "\n  see the log with: " + ChronicleEventLog.verifyCommand(config.dataDir()), null);
        }
        LOG.info("event log reaches the head the snapshot recorded ({})", head);
    }

    private static CompletableFuture<EarlyLoad> loadSnapshotEarly(PersistenceConfig config, KeyRing keys) {
        CompletableFuture<EarlyLoad> result = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                Path dir = config.dataDir().resolve(SNAPSHOT_DIR);
                SnapshotStore store;
                try {
                    store = SnapshotStore.open(dir, new KeyRingCipher(keys));
                } catch (IOException e) {
                    throw new StartupException("cannot open the snapshot store in " + dir + ": " + e.getMessage(), e);
                }
                // SnapshotStore.load logs what it found (loaded, missing or unreadable), once.
                result.complete(new EarlyLoad(store, store.load()));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "discoveryd-snapshot-load");
        loader.setDaemon(true);
        loader.start();
        return result;
    }

    private static void closeWhenLoaded(CompletableFuture<EarlyLoad> load) {
        if (load != null) {
            try {
                load.join().store().close();
            } catch (RuntimeException e) {
                LOG.debug("snapshot store not opened: {}", e.toString());
            }
        }
    }

    private LoadResult loadSnapshot() {
        EarlyLoad early;
        try {
            early = snapshotLoad.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StartupException("loading the snapshot failed: " + e.getCause(), e.getCause());
        }
        snapshots = early.store();
        snapshots.recordLogHead(() -> {
            LogHead head = chronicle.syncedHead();
            return head == null ? null : head.toBytes();
        });
        observer.loaded(early.result());
        return early.result();
    }

    /** Starts periodic snapshots of the live state (after {@link #recover}). */
    public void startSnapshots(ClusterRegistry registry) {
        if (snapshotter != null) {
            snapshotter.start(registry, config.snapshotInterval());
        }
    }

    /** What the live state must report to (snapshot bookkeeping); forwards once {@link #recover} has run. */
    public StateListener stateListener() {
        return new StateListener() {
            @Override
            public void applied(Event event, LogPosition position, int affiliateDelta, int endpointDelta) {
                if (snapshotter != null) {
                    snapshotter.applied(event, position, affiliateDelta, endpointDelta);
                }
            }

            @Override
            public void clusterForgotten(String clusterId) {
                if (snapshotter != null) {
                    snapshotter.clusterForgotten(clusterId);
                }
            }
        };
    }

    /** Where accepted changes go before they are applied. */
    public Journal journal() {
        // The log's writer thread completes the futures and runs no blocking code of ours: the cluster goes on there
        // (issue 16: a hand-off to the event loop and back per batch made updates to one cluster ~0.5x in-memory).
        return log == null ? Journal.NONE : Journal.of(log, true);
    }

    /** Why changes cannot be recorded until a restart (the log's writer stopped), or null while they can. */
    public String journalFailure() {
        return chronicle == null ? null : chronicle.failure();
    }

    public KeyRing keys() {
        return keys;
    }

    public PersistenceConfig config() {
        return config;
    }

    /** Saves a last snapshot, then closes the snapshot store and the log. */
    @Override
    public void close() {
        if (snapshotter != null) {
            snapshotter.close();
        }
        if (snapshots != null) {
            snapshots.close();
        } else if (snapshotLoad != null) {
            closeWhenLoaded(snapshotLoad); // a start that failed before recover()
        }
        if (log != null) {
            log.close();
        }
    }

    private record EarlyLoad(SnapshotStore store, LoadResult result) {
    }

    /** The rebuilt view and the log position it includes everything up to. */
    public record Recovered(View view, LogPosition position) {
    }
}
