package dev.discoveryd.service.state;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterCommand;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.Validation;
import dev.discoveryd.core.View;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The live state of every cluster: routes each request to its cluster's {@link ClusterRuntime}. No global lock:
 * clusters are independent.
 */
public final class ClusterRegistry {
    private final Map<String, ClusterRuntime> clusters = new ConcurrentHashMap<>();
    private final ClusterGate gate;
    private final ChangeEncoder encoder;
    private final StateListener listener;
    private final Clock clock;
    private final AtomicLong writeTickets = new AtomicLong();
    private final QueueLimits limits;
    private final LongAdder queued = new LongAdder();
    /** Applied positions of the loaded view and of retired runtimes, which the per-cluster scan no longer sees. */
    private volatile LogPosition appliedBase = LogPosition.START;

    public ClusterRegistry(Journal journal, ChangeEncoder encoder, StateListener listener, Clock clock) {
        this(journal, encoder, listener, clock, QueueLimits.DEFAULTS);
    }

    public ClusterRegistry(Journal journal, ChangeEncoder encoder, StateListener listener, Clock clock,
                           QueueLimits limits) {
        this(ClusterGate.always(journal), encoder, listener, clock, limits);
    }

    /** Holds only the clusters {@code gate} admits, each under its term (several instances share the clusters). */
    public ClusterRegistry(ClusterGate gate, ChangeEncoder encoder, StateListener listener, Clock clock,
                           QueueLimits limits) {
        this.gate = gate;
        this.encoder = encoder;
        this.listener = listener;
        this.clock = clock;
        this.limits = limits;
    }

    /** Takes over a rebuilt view that holds every event up to {@code position} (start-up); before any request. */
    public void load(View view, LogPosition position) {
        addAppliedBase(position);
        for (ClusterState cluster : view.clusters()) {
            ClusterGate.Term term = gate.admit(cluster.id());
            if (term == null) {
                throw new NotServedException(cluster.id());
            }
            put(cluster, term);
        }
    }

    /**
     * Takes over a rebuilt view of clusters that {@code term} serves (a partition just taken over), replacing whatever
     * was left of them; {@code term} may still refuse new clusters while this runs.
     */
    public void load(View view, LogPosition position, ClusterGate.Term term) {
        addAppliedBase(position);
        for (ClusterState cluster : view.clusters()) {
            put(cluster, term);
            listener.affiliatesMoved(cluster.size(), cluster.endpointCount());
        }
    }

    private void put(ClusterState cluster, ClusterGate.Term term) {
        ClusterRuntime runtime = newRuntime(cluster, term);
        ClusterRuntime before = clusters.put(cluster.id(), runtime);
        if (before != null) {
            int[] held = before.end("cluster state is being reloaded");
            listener.affiliatesMoved(-held[0], -held[1]);
            listener.clusterReleased(cluster.id());
        }
        listener.clusterCreated(cluster.id());
    }

    public CompletableFuture<Void> update(String clusterId, String affiliateId, byte[] data, List<byte[]> endpoints,
                                          Duration ttl, Executor continuation) {
        return update(clusterId, affiliateId, data, endpoints, ttl, Caller.patient(continuation));
    }

    /**
     * Queues an update; fails with QueueFullException, DroppedException, JournalException, NotServedException or a
     * DomainException.
     */
    public CompletableFuture<Void> update(String clusterId, String affiliateId, byte[] data, List<byte[]> endpoints,
                                          Duration ttl, Caller caller) {
        ClusterCommand.Update intent = new ClusterCommand.Update(clusterId, affiliateId, data, endpoints, ttl);
        long bytes = clusterId.length() + affiliateId.length() + (data != null ? data.length : 0)
                + endpoints.stream().mapToLong(e -> e.length + 16L).sum();
        return submit(clusterId, new Command(intent, caller, bytes, false));
    }

    public CompletableFuture<Void> delete(String clusterId, String affiliateId, Executor continuation) {
        return delete(clusterId, affiliateId, Caller.patient(continuation));
    }

    public CompletableFuture<Void> delete(String clusterId, String affiliateId, Caller caller) {
        ClusterCommand.Delete intent = new ClusterCommand.Delete(clusterId, affiliateId);
        ClusterRuntime runtime = clusters.get(clusterId);
        if (runtime == null) {
            return gate.admit(clusterId) != null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new NotServedException(clusterId));
        }
        return submit(clusterId, new Command(intent, caller, clusterId.length() + affiliateId.length(), false));
    }

    /** The cluster's affiliates; NotServedException when this instance does not serve it now. */
    public List<Affiliate> list(String clusterId) {
        Validation.clusterId(clusterId);
        ClusterRuntime runtime = clusters.get(clusterId);
        if (runtime != null && runtime.current()) {
            return runtime.list();
        }
        if (runtime != null) {
            end(runtime, "this cluster moved to another discoveryd instance; reconnect");
        }
        if (gate.admit(clusterId) == null) {
            throw new NotServedException(clusterId);
        }
        return List.of();
    }

    /** Subscribes to a cluster; returns what to call when the watcher goes away. NotServedException: not here. */
    public Runnable watch(String clusterId, WatchSink sink) {
        Validation.clusterId(clusterId);
        while (true) {
            ClusterRuntime runtime = runtimeFor(clusterId);
            if (runtime.watch(sink)) {
                return () -> runtime.unwatch(sink);
            }
        }
    }

    /**
     * Queues garbage collection on every cluster that has no expiry still queued or in flight from an earlier round:
     * a cluster stuck on its log write is skipped (and counted), never waited for, so expiry goes on everywhere else.
     */
    public GcRound collectGarbage(Executor continuation) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        int skipped = 0;
        for (ClusterRuntime runtime : clusters.values()) {
            if (!runtime.expiryQueued.compareAndSet(false, true)) {
                skipped++;
                continue;
            }
            Command gc = new Command(new ClusterCommand.Expire(runtime.id()), Caller.patient(continuation), 0, true);
            gc.done.whenComplete((v, e) -> runtime.expiryQueued.set(false));
            if (runtime.submit(gc)) {
                all.add(gc.done.exceptionally(e -> null));
            } else {
                runtime.expiryQueued.set(false);
            }
            forgetIfUnused(runtime);
        }
        return new GcRound(all.size(), skipped, CompletableFuture.allOf(all.toArray(new CompletableFuture[0])));
    }

    /**
     * One garbage collection round.
     *
     * @param queued  clusters that got an expiry command
     * @param skipped clusters whose expiry from an earlier round is still not done (a stalled write)
     * @param done    completes when every queued command is done
     */
    public record GcRound(int queued, int skipped, CompletableFuture<Void> done) {
    }

    /** Consistent copies of the clusters whose IDs are given (absent ones are skipped). */
    public List<ClusterState> copyClusters(Iterable<String> clusterIds) {
        List<ClusterState> copies = new ArrayList<>();
        for (String id : clusterIds) {
            ClusterRuntime runtime = clusters.get(id);
            if (runtime != null) {
                copies.add(runtime.copyState());
            }
        }
        return copies;
    }

    /**
     * A position such that every event at or before it is in the live state, taken from the apply path: the union of
     * what each cluster applied last, once the writes in flight at the time have settled. Every event before the one
     * a cluster applied last was handed to the journal before it (a log orders records as they were appended), so
     * with a smaller write ticket: once those writes are applied, the copies a snapshot takes next hold them all (and
     * maybe later ones, which replaying again leaves unchanged). The position holds only when
     * {@link Settled#unsettled()} is 0: writes still in flight after {@code timeout} may lie before it.
     */
    public Settled settledPosition(Duration timeout) {
        LogPosition seen = appliedBase;
        for (ClusterRuntime runtime : clusters.values()) {
            seen = seen.union(runtime.lastApplied());
        }
        return new Settled(seen, awaitWritesStartedBefore(timeout));
    }

    /** What {@link #settledPosition} found: the position, and how many clusters' writes had not settled. */
    public record Settled(LogPosition position, int unsettled) {
    }

    /**
     * Waits until every journal write that started before this call is applied (or failed): every event handed to
     * the journal before got a smaller ticket, so once no cluster has such a write in flight they are all in the
     * live state. A cluster's writes are serialized, so its ticket only goes from one write to none to a later one.
     * Costs one atomic increment per write instead of bookkeeping per event. Waits at most {@code timeout} in all,
     * however many clusters are slow.
     *
     * @return how many clusters still had such a write in flight when the time was up (0: all settled)
     */
    public int awaitWritesStartedBefore(Duration timeout) {
        long before = writeTickets.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ClusterRuntime> waiting = new ArrayList<>();
        for (ClusterRuntime runtime : clusters.values()) {
            if (runtime.writesBefore(before)) {
                waiting.add(runtime);
            }
        }
        while (!waiting.isEmpty()) {
            waiting.removeIf(r -> !r.writesBefore(before));
            if (waiting.isEmpty() || System.nanoTime() - deadline > 0) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return waiting.size();
    }

    public Iterable<String> clusterIds() {
        return Collections.unmodifiableSet(clusters.keySet());
    }

    /** Changes waiting behind their cluster's change in flight, over all clusters. */
    public long queuedChanges() {
        return queued.sum();
    }

    public int clusterCount() {
        return clusters.size();
    }

    /**
     * Drops the clusters {@code moved} selects, which another instance serves from now on (their log partition moved):
     * their watchers end with {@code reason} (UNAVAILABLE, so that clients Hello again and follow the redirect).
     */
    public int release(java.util.function.Predicate<String> moved, String reason) {
        int released = 0;
        for (ClusterRuntime runtime : clusters.values()) {
            if (moved.test(runtime.id()) && end(runtime, reason)) {
                released++;
            }
        }
        return released;
    }

    /** Ends a runtime for good (its watchers with {@code reason}) and forgets it; false when it was already gone. */
    private boolean end(ClusterRuntime runtime, String reason) {
        int[] held = runtime.end(reason);
        if (held[0] != 0 || held[1] != 0) {
            listener.affiliatesMoved(-held[0], -held[1]);
        }
        if (clusters.remove(runtime.id(), runtime)) {
            listener.clusterReleased(runtime.id());
            return true;
        }
        return false;
    }

    /** Ends every watch stream (shutdown). */
    public void closeAllWatchers(String reason) {
        for (ClusterRuntime runtime : clusters.values()) {
            runtime.closeWatchers(reason);
        }
    }

    public Clock clock() {
        return clock;
    }

    private CompletableFuture<Void> submit(String clusterId, Command command) {
        try {
            while (!runtimeFor(clusterId).submit(command)) {
                Thread.onSpinWait();
            }
        } catch (NotServedException e) {
            return CompletableFuture.failedFuture(e);
        }
        return command.done;
    }

    private synchronized void addAppliedBase(LogPosition position) {
        appliedBase = appliedBase.union(position);
    }

    /**
     * The cluster's runtime in the current term, created when the gate admits the cluster; NotServedException when it
     * does not. A runtime of an ended term is never handed out: it is ended (if the release has not yet) and replaced.
     */
    private ClusterRuntime runtimeFor(String clusterId) {
        while (true) {
            ClusterRuntime runtime = clusters.get(clusterId);
            if (runtime != null) {
                if (runtime.current()) {
                    return runtime;
                }
                end(runtime, "this cluster moved to another discoveryd instance; reconnect");
                continue;
            }
            ClusterGate.Term term = gate.admit(clusterId);
            if (term == null) {
                throw new NotServedException(clusterId);
            }
            ClusterRuntime created = newRuntime(new ClusterState(clusterId), term);
            if (clusters.putIfAbsent(clusterId, created) != null) {
                continue;
            }
            listener.clusterCreated(clusterId);
            // A release that ended the term meanwhile may have scanned the map before this runtime was in it.
            if (!term.current()) {
                end(created, "this cluster moved to another discoveryd instance; reconnect");
                throw new NotServedException(clusterId);
            }
            return created;
        }
    }

    private ClusterRuntime newRuntime(ClusterState state, ClusterGate.Term term) {
        ClusterRuntime[] self = new ClusterRuntime[1];
        self[0] = new ClusterRuntime(state, term, encoder, listener, clock, writeTickets, limits, queued,
                () -> forgetIfUnused(self[0]));
        return self[0];
    }

    private void forgetIfUnused(ClusterRuntime runtime) {
        if (!runtime.retireIfUnused()) {
            return;
        }
        // Before it leaves the map, so that settledPosition always sees what it applied.
        addAppliedBase(runtime.lastApplied());
        if (clusters.remove(runtime.id(), runtime)) {
            listener.clusterForgotten(runtime.id());
        }
    }
}
