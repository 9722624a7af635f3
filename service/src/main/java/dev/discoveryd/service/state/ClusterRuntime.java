package dev.discoveryd.service.state;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterDraft;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One live cluster: its state, its watchers and the queue that serializes its changes. Changes are decided against
 * the current state, journaled, and only then applied and broadcast; the changes that arrive meanwhile queue up and go
 * to the journal together as the next batch (group commit), while other clusters proceed in parallel. The monitor
 * guards state and watchers and is never held across I/O.
 *
 * <p>Every path out of a journaled change releases the cluster (clears {@code busy} and the write-in-flight ticket):
 * a continuation its loop rejects runs inline, and a fault while applying is logged and does not strand the queue.
 */
final class ClusterRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRuntime.class);
    private static final AtomicBoolean REJECTION_LOGGED = new AtomicBoolean();

    private final String id;
    private final ClusterState state;
    private final ClusterGate.Term term;
    private final Journal journal;
    private final ChangeEncoder encoder;
    private final StateListener listener;
    private final Clock clock;
    private final Runnable onIdle;
    private final AtomicLong writeTickets;

    private final CommandQueue pending;
    private final Watchers watchers;
    /** An expiry command is queued or in flight: the next GC round skips this cluster instead of piling up. */
    final AtomicBoolean expiryQueued = new AtomicBoolean();
    private boolean busy;
    private boolean retired;
    /** Ended with its term (see {@link #end}): nothing more is decided, applied changes no longer reach anyone. */
    private volatile boolean ended;
    /** Ticket of the journal write in flight, 0 when none; cleared only after its events are applied. */
    private volatile long writeInFlight;
    /** Position of the last event applied here (see ClusterRegistry.settledPosition). */
    private volatile LogPosition lastApplied = LogPosition.START;

    ClusterRuntime(ClusterState state, ClusterGate.Term term, ChangeEncoder encoder, StateListener listener,
                   Clock clock, AtomicLong writeTickets, QueueLimits limits, LongAdder queued, Runnable onIdle) {
        this.id = state.id();
        this.state = state;
        this.term = term;
        this.journal = term.journal();
        this.encoder = encoder;
        this.listener = listener;
        this.clock = clock;
        this.writeTickets = writeTickets;
        this.pending = new CommandQueue(limits, queued);
        this.watchers = new Watchers(listener);
        this.onIdle = onIdle;
    }

    String id() {
        return id;
    }

    /** Its term still holds and it was not ended: it may be handed out and its changes decided. */
    boolean current() {
        return term.current() && !ended;
    }

    /**
     * Queues a change; false when this runtime was retired and the caller must look the cluster up again. A full
     * queue first drops the changes whose callers are gone, then refuses with {@link QueueFullException}.
     */
    boolean submit(Command command) {
        String refusal;
        List<Command> gone = List.of();
        boolean start = false;
        synchronized (this) {
            if (retired) {
                return false;
            }
            refusal = pending.offer(command);
            if (refusal != null) {
                gone = pending.removeGone(clock.instant());
                refusal = gone.isEmpty() ? refusal : pending.offer(command);
            }
            if (refusal == null && !busy) {
                busy = true;
                start = true;
            }
        }
        for (Command c : gone) {
            drop(c, c.caller.gone(clock.instant()));
        }
        if (refusal != null) {
            listener.queueRefused();
            command.done.completeExceptionally(new QueueFullException(refusal));
        } else if (start) {
            startDrain(command);
        }
        return true;
    }

    /**
     * An idle cluster starts its batch after the caller's current task (on an event loop: the read of a burst of
     * requests), so that the burst's other changes, queued meanwhile, go to the journal in the same batch instead of
     * behind a batch of one; no timer, the task runs as soon as the read is processed. Only for a journal that
     * continues on its own thread (the log): in memory, the change is decided and answered right in the read.
     */
    private void startDrain(Command first) {
        if (!journal.continuesOnCompletingThread()) {
            drain();
            return;
        }
        AtomicBoolean started = new AtomicBoolean();
        Runnable go = () -> {
            if (started.compareAndSet(false, true)) {
                drain();
            }
        };
        try {
            first.caller.continuation().execute(go);
        } catch (RuntimeException rejected) {
            go.run(); // the loop is closing: start here (a direct executor that threw has already started it)
        }
    }

    private void drop(Command command, String reason) {
        listener.commandDropped(reason != null ? reason : DroppedException.DEADLINE);
        command.done.completeExceptionally(new DroppedException(reason != null ? reason : DroppedException.DEADLINE));
    }

    /**
     * Group commit: takes every queued change at once, decides each on top of the events of the ones before it (a
     * {@link ClusterDraft}, the state itself untouched), hands all their events to the journal in one call, and when
     * that lands applies and acknowledges them in order; meanwhile the next changes queue up for the next batch.
     */
    private void drain() {
        while (true) {
            CommitBatch batch;
            List<Command> refused = null;
            List<Command> dropped = List.of();
            List<String> reasons = List.of();
            synchronized (this) {
                if (pending.isEmpty()) {
                    busy = false;
                    onIdle.run();
                    return;
                }
                if (!current()) {
                    // The term ended (its partition moved): what waits here is refused, never decided on stale state.
                    refused = new ArrayList<>();
                    for (Command command; (command = pending.poll()) != null; ) {
                        refused.add(command);
                    }
                    batch = null;
                } else {
                    batch = new CommitBatch();
                    ClusterDraft draft = new ClusterDraft(state);
                    for (Command command; (command = pending.poll()) != null; ) {
                        Instant now = clock.instant();
                        // A caller that stopped waiting gets nothing journaled: it cannot learn the outcome anyway.
                        String gone = command.caller.gone(now);
                        if (gone != null) {
                            if (dropped.isEmpty()) {
                                dropped = new ArrayList<>();
                                reasons = new ArrayList<>();
                            }
                            dropped.add(command);
                            reasons.add(gone);
                            continue;
                        }
                        batch.decide(command, draft, now, !pending.isEmpty());
                    }
                }
            }
            if (refused != null) {
                for (Command command : refused) {
                    command.done.completeExceptionally(new NotServedException(id));
                }
                continue;
            }
            for (int i = 0; i < dropped.size(); i++) {
                drop(dropped.get(i), reasons.get(i));
            }
            if (batch.commands.isEmpty()) {
                continue;
            }
            if (batch.events.isEmpty()) {
                batch.acknowledge(0, null, null, false); // refusals and no-ops only: nothing to record
                continue;
            }
            batchJournaled(batch);
            // Taken before the journal sees the events: see ClusterRegistry.awaitWritesStartedBefore.
            writeInFlight = writeTickets.incrementAndGet();
            List<CompletableFuture<LogPosition>> writes = appendSafely(batch.events);
            // Futures complete in append order (the port's contract): once the last is done, all are. One that
            // breaks the contract is caught in finish(): a write not done by then counts as failed, never applied.
            CompletableFuture<LogPosition> last = writes.get(writes.size() - 1);
            if (last.isDone()) {
                finish(batch, writes, false);
                continue;
            }
            if (journal.continuesOnCompletingThread()) {
                // Only a cluster with changes waiting goes on on the journal's thread: a quiet one is applied and
                // answered on its caller's loop, so that many quiet clusters do not queue their work behind the
                // writer's next fsync (updates over 10k clusters with --log-sync=always lost ~15% that way).
                last.whenComplete((ignored, error) -> {
                    if (hasWaiting()) {
                        continueHere(batch, writes);
                    } else {
                        resume(batch, writes);
                    }
                });
            } else {
                last.whenComplete((ignored, error) -> resume(batch, writes));
            }
            return;
        }
    }

    private synchronized boolean hasWaiting() {
        return !pending.isEmpty();
    }

    private void batchJournaled(CommitBatch batch) {
        try {
            listener.batchJournaled(batch.commands.size(), batch.events.size());
        } catch (RuntimeException e) {
            LOG.error("a state listener failed on a journaled batch (the batch goes on)", e);
        }
    }

    /**
     * Continues on the journal's completing thread: applies and answers the batch, then hands the journal the next one
     * (its writer, already awake, takes it on its next pass), so a busy cluster costs no thread hand-off per batch.
     * The answers go to their event loops as one task per loop (see {@link CommitBatch#acknowledge}).
     */
    private void continueHere(CommitBatch batch, List<CompletableFuture<LogPosition>> writes) {
        try {
            finish(batch, writes, true);
        } finally {
            try {
                drain();
            } catch (RuntimeException e) {
                // Thrown on the journal's thread, it would vanish into the completed future unseen: log it.
                LOG.error("a cluster's next batch failed on the journal's thread", e);
            }
        }
    }

    /** Continues on the first caller's loop; if that loop rejects the task (it is closing), right here. */
    private void resume(CommitBatch batch, List<CompletableFuture<LogPosition>> writes) {
        AtomicBoolean started = new AtomicBoolean();
        Runnable rest = () -> {
            if (!started.compareAndSet(false, true)) {
                return; // the events are applied exactly once, whoever gets here first
            }
            try {
                finish(batch, writes, true);
            } finally {
                drain();
            }
        };
        try {
            batch.commands.get(0).caller.continuation().execute(rest);
        } catch (RuntimeException rejected) {
            if (started.get()) {
                return; // a direct executor ran the task and it threw: it has already released the cluster
            }
            if (REJECTION_LOGGED.compareAndSet(false, true)) {
                LOG.info("an event loop refused a cluster's continuation ({}); finishing it inline (logged once)",
                        rejected.toString());
            }
            rest.run();
        }
    }

    private List<CompletableFuture<LogPosition>> appendSafely(List<Event> events) {
        try {
            List<CompletableFuture<LogPosition>> writes = journal.appendAll(events);
            if (writes.size() != events.size()) {
                throw new IllegalStateException("the journal returned " + writes.size() + " futures for "
                        + events.size() + " events");
            }
            return writes;
        } catch (RuntimeException e) {
            List<CompletableFuture<LogPosition>> failed = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                failed.add(CompletableFuture.failedFuture(e));
            }
            return failed;
        }
    }

    /**
     * Applies, in order, the events the journal accepted up to the first it did not: memory never runs ahead of the
     * log, and nothing decided on top of an unrecorded event is applied. Then answers the commands. Never throws.
     */
    private void finish(CommitBatch batch, List<CompletableFuture<LogPosition>> writes, boolean perLoop) {
        Throwable failure = null;
        int failedAt = batch.events.size();
        RuntimeException[] broken = null;
        synchronized (this) {
            try {
                for (int i = 0; i < batch.events.size(); i++) {
                    CompletableFuture<LogPosition> write = writes.get(i);
                    if (!write.isDone() || write.isCompletedExceptionally()) {
                        failure = causeOf(write);
                        failedAt = i;
                        break;
                    }
                    try {
                        apply(batch.events.get(i), write.join());
                    } catch (RuntimeException e) {
                        // A bug in the core's evolve: the event is in the log but not in memory. Say so loudly.
                        LOG.error("applying a journaled change failed; the cluster's state may lag the log", e);
                        if (broken == null) {
                            broken = new RuntimeException[batch.commands.size()];
                        }
                        int c = batch.commandOf(i);
                        broken[c] = broken[c] == null ? e : broken[c];
                    }
                }
            } finally {
                writeInFlight = 0;
            }
        }
        if (failure != null) {
            listener.journalFailed(failure);
        }
        batch.acknowledge(failedAt, failure, broken, perLoop);
    }

    private static Throwable causeOf(CompletableFuture<LogPosition> failed) {
        if (!failed.isDone()) {
            return new IllegalStateException("journal write did not complete");
        }
        try {
            failed.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    private void apply(Event event, LogPosition position) {
        Affiliate before = state.affiliate(event.affiliateId());
        Affiliate after = state.evolve(event);
        lastApplied = position;
        if (ended) {
            return; // recorded in its term, so acknowledged; but the cluster was handed over and forgotten here
        }
        int affiliateDelta = (after != null ? 1 : 0) - (before != null ? 1 : 0);
        int endpointDelta = (after != null ? after.endpointCount() : 0) - (before != null ? before.endpointCount() : 0);
        try {
            listener.applied(event, position, affiliateDelta, endpointDelta);
        } catch (RuntimeException e) {
            LOG.error("a state listener failed on an applied change (the change stands)", e);
        }
        if (watchers.isEmpty()) {
            return;
        }
        watchers.send(after != null ? encoder.updated(after) : encoder.removed(event.affiliateId()));
    }

    /** Subscribes a watcher: it gets the current affiliates first, then every change, with nothing lost in between. */
    synchronized boolean watch(WatchSink sink) {
        if (retired) {
            return false;
        }
        sink.send(encoder.snapshot(state.affiliates()));
        watchers.add(sink);
        return true;
    }

    synchronized void unwatch(WatchSink sink) {
        if (watchers.remove(sink)) {
            if (!busy) {
                onIdle.run();
            }
        }
    }

    /** The position of the last event applied to this cluster ({@link LogPosition#START} before any). */
    LogPosition lastApplied() {
        return lastApplied;
    }

    /** True while a journal write with a ticket at or below {@code ticket} is not yet applied. */
    boolean writesBefore(long ticket) {
        long inFlight = writeInFlight;
        return inFlight != 0 && inFlight <= ticket;
    }

    synchronized List<Affiliate> list() {
        return state.copyAffiliates();
    }

    /** A copy of the state, consistent with {@code lastIndex} as applied so far (snapshots). */
    synchronized ClusterState copyState() {
        return state.copy(); // a cluster still as loaded stays so: a full snapshot does not build every cluster
    }

    /**
     * Retires this runtime when it holds nothing worth keeping: no affiliates, no watchers, no queued work.
     * Called with the monitor held (from onIdle) or not.
     */
    synchronized boolean retireIfUnused() {
        if (retired || busy || !pending.isEmpty() || !watchers.isEmpty() || !state.isEmpty()) {
            return false;
        }
        retired = true;
        return true;
    }

    synchronized void closeWatchers(String reason) {
        watchers.closeAll(reason);
    }

    /**
     * Ends this runtime for good (its term ended or it is being replaced): watchers end with {@code reason}, no new
     * command or watcher is taken, queued commands fail with NotServedException. A write in flight still completes
     * in its own term's journal and is acknowledged, since it was recorded there. Returns the affiliates and endpoints
     * it held (zeros when it had ended already): from now on nobody is told about its changes.
     */
    synchronized int[] end(String reason) {
        if (ended) {
            return new int[2]; // its affiliates were accounted for when it ended first
        }
        ended = true;
        retired = true;
        watchers.closeAll(reason);
        return new int[]{state.size(), state.endpointCount()};
    }
}
