package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.eventlog.record.ChainBreakException;
import dev.discoveryd.eventlog.record.ChainCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner thread of the Chronicle queue: every queue, appender and tailer call happens here. Commands arrive in an
 * inbox; consecutive appends form a batch that is written, synced once (group commit) and then acknowledged. An
 * append may carry many events (a cluster's group commit): it is one inbox entry, and its events are acknowledged as a
 * prefix. Writing a batch to disk is the {@link BatchWriter}'s; this class runs the thread, the inbox, the other
 * commands, housekeeping and supervision.
 *
 * <p>The inbox is lock-free: a caller adds its command and wakes this thread only when it is parked, so under load
 * appends cost no lock and no system call on the caller's side (an event loop's).
 */
final class LogWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    private static final int MAX_BATCH = 1024;
    private static final long RETENTION_CHECK_MILLIS = 60_000;
    private static final long RETENTION_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(RETENTION_CHECK_MILLIS);

    private final LogOptions options;
    private final ConcurrentLinkedQueue<WriterCommand> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Retention retention;
    private final BatchWriter records;
    private volatile boolean closed;
    private volatile boolean finished;
    /** Why the writer stopped taking changes (an Error on this thread, a failed fsync); null while healthy. */
    private volatile String failure;
    private volatile Thread owner;
    /** Times a caller unparked this thread (each a futex wake-up and, on a busy machine, a wait for a core); own thread. */
    private volatile long wakeups;

    // Owner-thread state.
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private long nextRetentionAt;

    LogWriter(LogOptions options) {
        this.options = options;
        this.retention = new Retention(options.retention(), options.clock());
        this.records = new BatchWriter(options, MAX_BATCH);
    }

    CompletableFuture<Void> started() {
        return started;
    }

    long lastIndex() {
        return records.lastIndex();
    }

    long syncs() {
        return records.syncs();
    }

    long batches() {
        return records.batches();
    }

    long recordsWritten() {
        return records.records();
    }

    long wakeups() {
        return wakeups;
    }

    LogHead durableHead() {
        return records.durableHead();
    }

    /** Syncs what was written (unless the policy is NEVER), then gives the durable head; on the writer thread. */
    LogHead syncedHead() {
        CompletableFuture<LogHead> done = new CompletableFuture<>();
        if (!post(new WriterCommand.SyncHead(done))) {
            return records.durableHead();
        }
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventLogException("interrupted while syncing the event log");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new EventLogException("cannot sync the event log: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Null when the log reaches {@code head}, else why not (see {@link HeadCheck}); runs on the writer thread. */
    String headProblem(LogHead head) {
        CompletableFuture<String> done = new CompletableFuture<>();
        if (!post(new WriterCommand.CheckHead(head, done))) {
            throw new EventLogException("event log is closed");
        }
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventLogException("interrupted while checking the event log");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new EventLogException("cannot check the event log's head: " + e.getCause(), e.getCause());
        }
    }

    /** Why the log takes no more changes until the service is restarted, or null while it does. */
    String failure() {
        return failure;
    }

    CompletableFuture<LogPosition> append(Event event) {
        return appendAll(List.of(event)).get(0);
    }

    /** Queues {@code events} as one inbox entry: written together, synced together, acknowledged as a prefix. */
    List<CompletableFuture<LogPosition>> appendAll(List<Event> events) {
        List<CompletableFuture<LogPosition>> done = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            done.add(new CompletableFuture<>());
        }
        if (events.isEmpty()) {
            return done;
        }
        String stopped = failure;
        if (stopped != null) {
            BatchWriter.failAll(done, stopped);
        } else if (!post(new WriterCommand.Append(List.copyOf(events), done))) {
            BatchWriter.failAll(done, failure != null ? failure : "event log is closed");
        }
        return done;
    }

    void replay(long afterIndex, LogConsumer consumer) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!post(new WriterCommand.Replay(afterIndex, consumer, done))) {
            throw new EventLogException("event log is closed");
        }
        ChronicleEventLog.await(done);
    }

    void retainFrom(long oldestNeededIndex) {
        post(new WriterCommand.Retain(oldestNeededIndex));
    }

    void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        inbox.add(new WriterCommand.Close(done));
        wake();
        if (finished) {
            failLeftovers();
        }
        ChronicleEventLog.await(done);
    }

    /** Adds a command; false when the log is closed. A command that races with the close is failed, never lost. */
    private boolean post(WriterCommand command) {
        if (closed) {
            return false;
        }
        inbox.add(command);
        wake();
        if (finished) {
            // The thread ended after the check above and may have drained the inbox before this add: fail it here.
            // Whoever polls a command fails it, so it is failed exactly once.
            failLeftovers();
        }
        return true;
    }

    private void wake() {
        if (parked.get() && parked.compareAndSet(true, false)) {
            LockSupport.unpark(owner);
        }
    }

    @Override
    public void run() {
        owner = Thread.currentThread();
        try {
            queue = QueueFiles.openForWriting(options);
            appender = queue.createAppender();
            records.open(appender, TailRecovery.recover(queue, appender, options.keys(), options.dataDir()));
            started.complete(null);
        } catch (RuntimeException | Error e) {
            closeQueue();
            started.completeExceptionally(e);
            return;
        }
        List<WriterCommand> commands = new ArrayList<>();
        List<WriterCommand.Append> batch = new ArrayList<>();
        try {
            serve(commands, batch);
        } catch (WriterHalt h) {
            stop(h.getMessage(), null, commands, batch);
        } catch (Throwable t) {
            // Supervision: whatever ends this thread fails every waiting caller and says why, instead of leaving
            // appends queued forever behind a dead thread. Not restarted in place: after an Error thrown mid-write the
            // appender's state is unknown; a process restart reopens the queue through tail recovery, which is built
            // and tested for a torn last record.
            stop("event log writer stopped: " + t, t, commands, batch);
        }
    }

    /** The writer's loop; returns after a close, throws when the writer must stop. */
    private void serve(List<WriterCommand> commands, List<WriterCommand.Append> batch) {
        while (true) {
            take(commands);
            for (int i = 0; i < commands.size(); i++) {
                WriterCommand command = commands.get(i);
                if (command instanceof WriterCommand.Append a) {
                    batch.add(a);
                    continue;
                }
                records.write(batch);
                if (command instanceof WriterCommand.Close c) {
                    closeQueue();
                    // Commands that raced with close() and came after it are failed, like those still in the inbox.
                    commands.subList(i + 1, commands.size()).forEach(this::failClosed);
                    c.done().complete(null);
                    return;
                }
                runOther(command);
            }
            commands.clear();
            records.write(batch);
            try {
                housekeeping();
            } catch (WriterHalt h) {
                throw h;
            } catch (RuntimeException e) {
                LOG.warn("Event log housekeeping failed: {}", e.toString());
            }
        }
    }

    /** The writer ends after a fault: no change is taken from now on, every caller waiting is told why. */
    private void stop(String reason, Throwable unexpected, List<WriterCommand> commands, List<WriterCommand.Append> batch) {
        failure = reason + "; the event log takes no more changes until the service is restarted";
        // Records written but refused stay in the files: a snapshot must not claim them, so that a restart replays
        // them exactly as a full replay would.
        records.fallBackToAcknowledged();
        if (unexpected != null) {
            LOG.error("{}", failure, unexpected); // a bug or a broken JVM: the trace is what an operator needs
        } else {
            LOG.error("{}", failure);
        }
        batch.forEach(this::failClosed);
        commands.forEach(this::failClosed);
        try {
            records.close();
            if (appender != null) {
                appender.close();
            }
            if (queue != null) {
                queue.close();
            }
        } catch (Throwable t) {
            LOG.warn("Event log files did not close cleanly after the writer stopped: {}", t.toString());
        }
        closed = true;
        finished = true;
        failLeftovers();
    }

    /**
     * Moves up to a batch of commands into {@code commands}, parking first when there are none. Parked, this thread is
     * woken by the first command that arrives (one unpark, by that caller), so an append to an idle writer is written
     * at once: no nap or timer lies between them. Under load the inbox is rarely empty, so callers seldom pay the
     * wake-up; and a cluster's commands arrive as one entry (see {@link #appendAll}), however many there are.
     */
    private void take(List<WriterCommand> commands) {
        if (drainInbox(commands) > 0) {
            return;
        }
        long wait = options.syncPolicy() == SyncPolicy.PERIODIC && records.dirty() ? syncDueInNanos() : RETENTION_CHECK_NANOS;
        parked.set(true);
        // Checked again after announcing the park: a command added before that is seen here, one added after wakes us.
        if (inbox.isEmpty()) {
            LockSupport.parkNanos(this, wait);
        }
        if (!parked.getAndSet(false)) {
            wakeups++; // a caller cleared the flag, so it unparked this thread (counted here, on one thread)
        }
        drainInbox(commands);
    }

    /** How long until the periodic sync of records written since the last one is due (at least 1 ms). */
    private long syncDueInNanos() {
        long due = records.lastSyncAt() + options.syncInterval().toMillis() - options.clock().millis();
        return TimeUnit.MILLISECONDS.toNanos(Math.max(1, due));
    }

    private int drainInbox(List<WriterCommand> commands) {
        int n = 0;
        for (WriterCommand c; n < MAX_BATCH && (c = inbox.poll()) != null; n++) {
            commands.add(c);
        }
        return n;
    }

    private void runOther(WriterCommand command) {
        if (command instanceof WriterCommand.Replay r) {
            try {
                ChainCheck check = QueueScan.scan(queue, options.keys(), r.afterIndex(),
                        ce -> r.consumer().accept(ce.index(), ce.event()));
                check.unresolvedTail().ifPresent(i -> LOG.warn("Event log record {} is unreadable ({})",
                        i, check.unresolvedReason()));
                r.done().complete(null);
            } catch (ChainBreakException e) {
                r.done().completeExceptionally(new EventLogException("event log is corrupt at " + e.getMessage()
                        + "; see it with: " + ChronicleEventLog.verifyCommand(options.dataDir())));
            } catch (RuntimeException | Error e) {
                r.done().completeExceptionally(e);
            }
        } else if (command instanceof WriterCommand.SyncHead h) {
            if (records.dirty() && options.syncPolicy() != SyncPolicy.NEVER) {
                try {
                    records.syncOrHalt();
                } catch (WriterHalt halt) {
                    h.done().completeExceptionally(new EventLogException(halt.getMessage()));
                    throw halt;
                }
            }
            h.done().complete(records.durableHead());
        } else if (command instanceof WriterCommand.CheckHead h) {
            try {
                h.done().complete(HeadCheck.problem(queue, options.keys(), h.head()));
            } catch (RuntimeException e) {
                h.done().completeExceptionally(e);
            }
        } else if (command instanceof WriterCommand.Retain t) {
            retention.retainFrom(t.oldestNeededIndex());
            try {
                retention.run(queue);
            } catch (RuntimeException e) {
                LOG.warn("Event log retention failed: {}", e.toString());
            }
        }
    }

    private void housekeeping() {
        long now = options.clock().millis();
        if (records.dirty() && options.syncPolicy() == SyncPolicy.PERIODIC
                && now - records.lastSyncAt() >= options.syncInterval().toMillis()) {
            records.syncOrHalt();
        }
        if (now >= nextRetentionAt) {
            nextRetentionAt = now + RETENTION_CHECK_MILLIS;
            retention.run(queue);
        }
    }

    private void closeQueue() {
        if (appender != null && records.dirty() && options.syncPolicy() != SyncPolicy.NEVER) {
            String syncFailure = records.sync();
            if (syncFailure != null) {
                LOG.warn("Event log sync at close failed: {}", syncFailure);
            }
        }
        records.close();
        if (appender != null) {
            appender.close();
        }
        if (queue != null) {
            queue.close();
        }
        closed = true;
        finished = true;
        failLeftovers();
    }

    private void failLeftovers() {
        for (WriterCommand c; (c = inbox.poll()) != null; ) {
            failClosed(c);
        }
    }

    /** Fails a command the writer will not run (completing an already completed future changes nothing). */
    private void failClosed(WriterCommand c) {
        String reason = failure != null ? failure : "event log is closed";
        if (c instanceof WriterCommand.Append a) {
            BatchWriter.failAll(a.done(), reason);
        } else if (c instanceof WriterCommand.Replay r) {
            r.done().completeExceptionally(new EventLogException(reason));
        } else if (c instanceof WriterCommand.CheckHead h) {
            h.done().completeExceptionally(new EventLogException(reason));
        } else if (c instanceof WriterCommand.SyncHead h) {
            h.done().complete(records.durableHead());
        } else if (c instanceof WriterCommand.Close x) {
            x.done().complete(null);
        }
    }
}
