package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.codec.EventCodec;
import dev.discoveryd.eventlog.record.ChainBreakException;
import dev.discoveryd.eventlog.record.ChainCheck;
import dev.discoveryd.eventlog.record.RecordFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner thread of the Chronicle queue: every queue, appender and tailer call happens here. Commands arrive in an
 * inbox; consecutive appends form a batch that is written, synced once (group commit) and then acknowledged. An
 * append may carry many events (a cluster's group commit): it is one inbox entry, and its events are acknowledged as a
 * prefix.
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
    private final DiskSpace space;
    private volatile boolean closed;
    private volatile boolean finished;
    /** Why the writer stopped taking changes (an Error on this thread, a failed fsync); null while healthy. */
    private volatile String failure;
    private volatile Thread owner;
    private volatile long lastIndex = ChronicleEventLog.NO_INDEX;
    private volatile long syncs;
    /** The last record known to be on disk (synced, or found there on opening); null for an empty log. */
    private volatile LogHead durableHead;

    // Owner-thread state.
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private byte[] anchor;
    private boolean dirty;
    /** The last record whose append was acknowledged: what {@link #lastIndex} falls back to when the writer stops. */
    private long acknowledged = ChronicleEventLog.NO_INDEX;
    /** Indexes of the batch's records in order, -1 for one not written. */
    private long[] indexes = new long[MAX_BATCH];
    /** Why the record at the same place in {@link #indexes} was not written (-1 there). */
    private EventLogException[] errors = new EventLogException[MAX_BATCH];
    private long lastSyncAt;
    private long nextRetentionAt;

    LogWriter(LogOptions options) {
        this.options = options;
        this.retention = new Retention(options.retention(), options.clock());
        this.space = new DiskSpace(options.logDir(), options.minFreeBytes());
    }

    CompletableFuture<Void> started() {
        return started;
    }

    long lastIndex() {
        return lastIndex;
    }

    long syncs() {
        return syncs;
    }

    LogHead durableHead() {
        return durableHead;
    }

    /** Syncs what was written (unless the policy is NEVER), then gives the durable head; on the writer thread. */
    LogHead syncedHead() {
        CompletableFuture<LogHead> done = new CompletableFuture<>();
        if (!post(new WriterCommand.SyncHead(done))) {
            return durableHead;
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
            failAll(done, stopped);
        } else if (!post(new WriterCommand.Append(List.copyOf(events), done))) {
            failAll(done, failure != null ? failure : "event log is closed");
        }
        return done;
    }

    private static void failAll(List<CompletableFuture<LogPosition>> futures, String reason) {
        EventLogException e = new EventLogException(reason);
        for (CompletableFuture<LogPosition> f : futures) {
            f.completeExceptionally(e);
        }
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
            TailRecovery.Tail tail = TailRecovery.recover(queue, appender, options.keys(), options.dataDir());
            anchor = tail.anchor();
            lastIndex = tail.lastIndex();
            acknowledged = lastIndex;
            durableHead = lastIndex == ChronicleEventLog.NO_INDEX ? null : new LogHead(lastIndex, anchor);
            lastSyncAt = options.clock().millis();
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
        } catch (Halt h) {
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
                finishBatch(batch);
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
            finishBatch(batch);
            try {
                housekeeping();
            } catch (Halt h) {
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
        lastIndex = acknowledged;
        if (unexpected != null) {
            LOG.error("{}", failure, unexpected); // a bug or a broken JVM: the trace is what an operator needs
        } else {
            LOG.error("{}", failure);
        }
        batch.forEach(this::failClosed);
        commands.forEach(this::failClosed);
        try {
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

    /** Ends the writer loop after a failure that is not a bug (a failed fsync): logged without a stack trace. */
    private static final class Halt extends RuntimeException {
        Halt(String message) {
            super(message, null, false, false);
        }
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
        long wait = options.syncPolicy() == SyncPolicy.PERIODIC && dirty ? syncDueInNanos() : RETENTION_CHECK_NANOS;
        parked.set(true);
        // Checked again after announcing the park: a command added before that is seen here, one added after wakes us.
        if (inbox.isEmpty()) {
            LockSupport.parkNanos(this, wait);
        }
        parked.set(false);
        drainInbox(commands);
    }

    /** How long until the periodic sync of records written since the last one is due (at least 1 ms). */
    private long syncDueInNanos() {
        long due = lastSyncAt + options.syncInterval().toMillis() - options.clock().millis();
        return TimeUnit.MILLISECONDS.toNanos(Math.max(1, due));
    }

    private int drainInbox(List<WriterCommand> commands) {
        int n = 0;
        for (WriterCommand c; n < MAX_BATCH && (c = inbox.poll()) != null; n++) {
            commands.add(c);
        }
        return n;
    }

    private void finishBatch(List<WriterCommand.Append> batch) {
        if (batch.isEmpty()) {
            return;
        }
        String refusal = space.refusal();
        if (refusal != null) {
            for (WriterCommand.Append a : batch) {
                failAll(a.done(), refusal);
            }
            batch.clear();
            return;
        }
        int records = 0;
        for (WriterCommand.Append a : batch) {
            records += a.events().size();
        }
        if (indexes.length < records) {
            indexes = new long[Math.max(records, 2 * indexes.length)];
        }
        if (errors.length < records) {
            errors = new EventLogException[indexes.length];
        }
        int written = 0;
        int k = 0;
        for (WriterCommand.Append a : batch) {
            EventLogException failed = null;
            for (int j = 0; j < a.events().size(); j++, k++) {
                if (failed != null) {
                    // The caller acknowledges a prefix of its events: nothing after a failed one is written.
                    errors[k] = new EventLogException("event log append failed: an earlier event of the same batch "
                            + "could not be written (" + failed.getMessage() + ")");
                    indexes[k] = -1;
                    continue;
                }
                indexes[k] = write(a.events().get(j), k);
                if (indexes[k] >= 0) {
                    written++;
                } else {
                    failed = errors[k];
                }
            }
        }
        if (written > 0 && options.syncPolicy() == SyncPolicy.ALWAYS) {
            // One sync for every record of every caller drained together (group commit across clusters).
            String syncFailure = sync();
            if (syncFailure != null) {
                // The batch's records may or may not be on disk: none is acknowledged, and nothing more is written.
                String reason = fsyncFailed(syncFailure);
                failWritten(batch, reason);
                batch.clear();
                throw new Halt(reason);
            }
        }
        // In order, failures included: callers rely on futures completing in append order.
        k = 0;
        for (WriterCommand.Append a : batch) {
            for (int j = 0; j < a.events().size(); j++, k++) {
                if (indexes[k] >= 0) {
                    acknowledged = indexes[k];
                    a.done().get(j).complete(LogPosition.of(indexes[k]));
                } else {
                    a.done().get(j).completeExceptionally(errors[k]);
                }
                errors[k] = null;
            }
        }
        batch.clear();
    }

    /** Writes one record; returns its index, or -1 with the reason in {@code errors[slot]}. */
    private long write(Event event, int slot) {
        try {
            options.faults().beforeWrite();
            byte[] record = RecordFormat.write(options.keys(), RecordFormat.KIND_EVENT, anchor, EventCodec.encode(event));
            try (DocumentContext dc = appender.writingDocument()) {
                try {
                    dc.wire().bytes().write(record);
                } catch (RuntimeException | Error e) {
                    dc.rollbackOnClose();
                    throw e;
                }
            }
            long index = appender.lastIndexAppended();
            anchor = Arrays.copyOfRange(record, record.length - RecordFormat.MAC_BYTES, record.length);
            lastIndex = index;
            dirty = true;
            return index;
        } catch (RuntimeException | InternalError e) {
            LOG.warn("Event log append failed: {}", e.toString());
            errors[slot] = new EventLogException("event log append failed: " + e.getMessage(), e);
            return -1;
        }
    }

    private void failWritten(List<WriterCommand.Append> batch, String message) {
        int k = 0;
        for (WriterCommand.Append a : batch) {
            for (int j = 0; j < a.events().size(); j++, k++) {
                a.done().get(j).completeExceptionally(indexes[k] >= 0 ? new EventLogException(message) : errors[k]);
                indexes[k] = -1;
                errors[k] = null;
            }
        }
    }

    /** Syncs to disk; returns null, or what went wrong. */
    private String sync() {
        try {
            options.faults().beforeSync();
            appender.sync();
            syncs++;
            if (lastIndex != ChronicleEventLog.NO_INDEX) {
                durableHead = new LogHead(lastIndex, anchor);
            }
            dirty = false;
            lastSyncAt = options.clock().millis();
            return null;
        } catch (RuntimeException | InternalError e) {
            return e.getCause() != null ? e.getCause().toString() : e.toString();
        }
    }

    /**
     * After a failed fsync the kernel may already have dropped the dirty pages it could not write, and marked them
     * clean: a later fsync that succeeds says nothing about them. So the log stops taking changes (as PostgreSQL
     * does since "fsyncgate") rather than acknowledge records on top of a hole.
     */
    private static String fsyncFailed(String cause) {
        return "event log fsync failed (" + cause + "): records written since the last good sync may not be on disk";
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
            if (dirty && options.syncPolicy() != SyncPolicy.NEVER) {
                String syncFailure = sync();
                if (syncFailure != null) {
                    String reason = fsyncFailed(syncFailure);
                    h.done().completeExceptionally(new EventLogException(reason));
                    throw new Halt(reason);
                }
            }
            h.done().complete(durableHead);
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
        if (dirty && options.syncPolicy() == SyncPolicy.PERIODIC && now - lastSyncAt >= options.syncInterval().toMillis()) {
            String syncFailure = sync();
            if (syncFailure != null) {
                throw new Halt(fsyncFailed(syncFailure));
            }
        }
        if (now >= nextRetentionAt) {
            nextRetentionAt = now + RETENTION_CHECK_MILLIS;
            retention.run(queue);
        }
    }

    private void closeQueue() {
        if (appender != null && dirty && options.syncPolicy() != SyncPolicy.NEVER) {
            String syncFailure = sync();
            if (syncFailure != null) {
                LOG.warn("Event log sync at close failed: {}", syncFailure);
            }
        }
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
            failAll(a.done(), reason);
        } else if (c instanceof WriterCommand.Replay r) {
            r.done().completeExceptionally(new EventLogException(reason));
        } else if (c instanceof WriterCommand.CheckHead h) {
            h.done().completeExceptionally(new EventLogException(reason));
        } else if (c instanceof WriterCommand.SyncHead h) {
            h.done().complete(durableHead);
        } else if (c instanceof WriterCommand.Close x) {
            x.done().complete(null);
        }
    }
}
