package dev.discoveryd.service.state;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.DomainException;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live cluster: its state, its watchers and the queue that serializes its changes. A change is decided against
 * the current state, journaled, and only then applied and broadcast; the next change of the same cluster waits for
 * that, while other clusters proceed in parallel. The monitor guards state and watchers and is never held across I/O.
 */
final class ClusterRuntime {
    private final String id;
    private final ClusterState state;
    private final Journal journal;
    private final ChangeEncoder encoder;
    private final StateListener listener;
    private final Clock clock;
    private final Runnable onIdle;
    private final AtomicLong writeTickets;

    private final ArrayDeque<Command> pending = new ArrayDeque<>();
    private final List<WatchSink> watchers = new ArrayList<>();
    private boolean busy;
    private boolean retired;
    /** Ticket of the journal write in flight, 0 when none; cleared only after its events are applied. */
    private volatile long writeInFlight;
    /** Position of the last event applied here (see ClusterRegistry.settledPosition). */
    private volatile LogPosition lastApplied = LogPosition.START;

    ClusterRuntime(ClusterState state, Journal journal, ChangeEncoder encoder, StateListener listener, Clock clock,
                   AtomicLong writeTickets, Runnable onIdle) {
        this.id = state.id();
        this.state = state;
        this.journal = journal;
        this.encoder = encoder;
        this.listener = listener;
        this.clock = clock;
        this.writeTickets = writeTickets;
        this.onIdle = onIdle;
    }

    String id() {
        return id;
    }

    /** Queues a change; false when this runtime was retired and the caller must look the cluster up again. */
    boolean submit(Command command) {
        synchronized (this) {
            if (retired) {
                return false;
            }
            pending.add(command);
            if (busy) {
                return true;
            }
            busy = true;
        }
        drain();
        return true;
    }

    private void drain() {
        while (true) {
            Command command;
            List<Event> events;
            synchronized (this) {
                command = pending.poll();
                if (command == null) {
                    busy = false;
                    onIdle.run();
                    return;
                }
                try {
                    events = command.decision.decide(state, clock.instant());
                } catch (DomainException e) {
                    command.done.completeExceptionally(e);
                    continue;
                } catch (RuntimeException e) {
                    command.done.completeExceptionally(e);
                    continue;
                }
            }
            if (events.isEmpty()) {
                command.done.complete(null);
                continue;
            }
            // Taken before the journal sees the events: see ClusterRegistry.awaitWritesStartedBefore.
            writeInFlight = writeTickets.incrementAndGet();
            List<CompletableFuture<LogPosition>> writes = new ArrayList<>(events.size());
            for (Event event : events) {
                writes.add(appendSafely(event));
            }
            CompletableFuture<?> all = writes.size() == 1 ? writes.get(0)
                    : CompletableFuture.allOf(writes.toArray(new CompletableFuture[0]));
            if (all.isDone()) {
                finish(command, events, writes);
                continue;
            }
            all.whenComplete((ignored, error) -> command.continuation.execute(() -> {
                finish(command, events, writes);
                drain();
            }));
            return;
        }
    }

    private CompletableFuture<LogPosition> appendSafely(Event event) {
        try {
            return journal.append(event);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Applies, in order, exactly the events the journal accepted: memory never runs ahead of the log. */
    private void finish(Command command, List<Event> events, List<CompletableFuture<LogPosition>> writes) {
        Throwable failure = null;
        synchronized (this) {
            for (int i = 0; i < events.size(); i++) {
                CompletableFuture<LogPosition> write = writes.get(i);
                if (write.isCompletedExceptionally()) {
                    if (failure == null) {
                        failure = causeOf(write);
                    }
                    continue;
                }
                apply(events.get(i), write.join());
            }
            writeInFlight = 0;
        }
        if (failure != null) {
            listener.journalFailed(failure);
            command.done.completeExceptionally(new JournalException("the change could not be recorded: " + failure.getMessage(), failure));
        } else {
            command.done.complete(null);
        }
    }

    private static Throwable causeOf(CompletableFuture<LogPosition> failed) {
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
        int affiliateDelta = (after != null ? 1 : 0) - (before != null ? 1 : 0);
        int endpointDelta = (after != null ? after.endpointCount() : 0) - (before != null ? before.endpointCount() : 0);
        listener.applied(event, position, affiliateDelta, endpointDelta);
        if (watchers.isEmpty()) {
            return;
        }
        byte[] message = after != null ? encoder.updated(after) : encoder.removed(event.affiliateId());
        for (WatchSink watcher : watchers) {
            watcher.send(message);
        }
    }

    /** Subscribes a watcher: it gets the current affiliates first, then every change, with nothing lost in between. */
    synchronized boolean watch(WatchSink sink) {
        if (retired) {
            return false;
        }
        sink.send(encoder.snapshot(state.affiliates()));
        watchers.add(sink);
        listener.watchersChanged(1);
        return true;
    }

    synchronized void unwatch(WatchSink sink) {
        if (watchers.remove(sink)) {
            listener.watchersChanged(-1);
            if (!busy) {
                onIdle.run();
            }
        }
    }

    /** The position of the last event applied to this cluster ({@link LogPosition#START} before any). */
    LogPosition lastApplied() {
        return lastApplied;
    }

    /** The ticket of this cluster's journal write in flight, or 0. */
    long writeInFlight() {
        return writeInFlight;
    }

    synchronized List<Affiliate> list() {
        return state.copyAffiliates();
    }

    /** A copy of the state as applied so far (snapshots). */
    synchronized ClusterState copyState() {
        ClusterState copy = new ClusterState(id);
        for (Affiliate a : state.affiliates()) {
            copy.restore(a);
        }
        return copy;
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
        for (WatchSink watcher : watchers) {
            watcher.close(reason);
        }
        listener.watchersChanged(-watchers.size());
        watchers.clear();
    }
}
