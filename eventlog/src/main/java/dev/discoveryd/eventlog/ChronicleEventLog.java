package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.EventLog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The durable event log: a Chronicle Queue under {@code <data-dir>/eventlog}, one encrypted, chained record per event
 * (format: {@link dev.discoveryd.eventlog.record.RecordFormat}). One writer thread owns the queue and every Chronicle
 * object; callers only exchange commands with it. Thread-safe.
 *
 * <p>Opening recovers the tail: an unreadable last record (torn by a crash) is dropped with a warning. Corruption
 * elsewhere is found by {@link #replay}, which fails with a message naming the first bad record and the command that
 * shows it. Only one process may open a data directory for writing at a time, which is also why it needs no
 * fencing: there is one owner.
 *
 * <p>Positions: the one-partition case, the record's Chronicle index the only offset (roll cycle in its upper bits,
 * so increasing but not contiguous; recovery records take indexes too).
 */
public final class ChronicleEventLog implements EventLog {
    /** "No index" in Chronicle terms: before the first record. */
    public static final long NO_INDEX = -1;

    private final LogWriter writer;

    private ChronicleEventLog(LogWriter writer) {
        this.writer = writer;
    }

    /** Opens (creating if needed) the log of {@code options.dataDir()}; fails with {@link EventLogException}. */
    public static ChronicleEventLog open(LogOptions options) {
        LogWriter writer = new LogWriter(options);
        Thread thread = new Thread(writer, "eventlog-writer");
        thread.setDaemon(true);
        thread.start();
        try {
            await(writer.started());
        } catch (EventLogException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EventLogException("cannot open the event log in " + options.logDir() + ": " + e.getMessage(), e);
        }
        return new ChronicleEventLog(writer);
    }

    /** The command that shows what is wrong with the log of {@code dataDir}. */
    public static String verifyCommand(Path dataDir) {
        return "java -jar service/target/discoveryd.jar log verify --data-dir " + dataDir;
    }

    /** The position of the record at Chronicle {@code index}. */
    public static LogPosition position(long index) {
        return LogPosition.of(index);
    }

    /** The Chronicle index of {@code position}, which must be a position of a one-partition log. */
    public static long index(LogPosition position) {
        if (position.partitions() > 1) {
            throw new IllegalArgumentException("position " + position + " has " + position.partitions()
                    + " partitions; this log has one");
        }
        return position.offset(0);
    }

    /** Futures complete on the writer thread, after the batch is as durable as the {@link SyncPolicy} says. */
    @Override
    public CompletableFuture<LogPosition> append(Event event) {
        return writer.append(event);
    }

    /** One inbox entry for the writer thread, written and (with ALWAYS) synced together with whatever else is waiting. */
    @Override
    public List<CompletableFuture<LogPosition>> appendAll(List<Event> events) {
        return writer.appendAll(events);
    }

    /** Runs on the writer thread (appends wait meanwhile) and seeks to {@code after}, so tails poll cheaply. */
    @Override
    public void replay(LogPosition after, dev.discoveryd.core.port.LogConsumer consumer) {
        writer.replay(index(after), (index, event) -> consumer.accept(LogPosition.of(index), event));
    }

    @Override
    public LogPosition end() {
        return LogPosition.of(writer.lastIndex());
    }

    /** Whole cycle files go, once they are older than the retention and entirely before {@code oldestNeeded}. */
    @Override
    public void retainFrom(LogPosition oldestNeeded) {
        writer.retainFrom(index(oldestNeeded));
    }

    /**
     * Why the log takes no more changes (its writer thread met an Error, or an fsync failed), or null while it does.
     * Appends then fail at once with this reason; only a restart (which recovers the tail) clears it.
     */
    public String failure() {
        return writer.failure();
    }

    /**
     * The last record known to be on disk: synced (with {@link SyncPolicy#ALWAYS} or {@link SyncPolicy#PERIODIC}),
     * or found there when the log opened; null for an empty log. What a snapshot records, so that a log cut back
     * behind it is noticed; never a record that a power loss could still take away (with {@link SyncPolicy#NEVER}
     * nothing is synced, so it stays the record found on opening).
     */
    public LogHead durableHead() {
        return writer.durableHead();
    }

    /**
     * Syncs the records written so far (unless the policy is {@link SyncPolicy#NEVER}) and returns the
     * {@link #durableHead()} then: what a snapshot records. Blocks the caller for one fsync; not for event loops.
     */
    public LogHead syncedHead() {
        return writer.syncedHead();
    }

    /** Null when the log still reaches {@code head} (see {@link LogHead}), else why not; on the writer thread. */
    public String headProblem(LogHead head) {
        return writer.headProblem(head);
    }

    /** How many times the log was synced to disk (a metric; with ALWAYS, fewer than appends under concurrency). */
    public long syncCount() {
        return writer.syncs();
    }

    /** Batches the writer thread wrote (each one pass over its inbox, synced once with ALWAYS). */
    public long batchCount() {
        return writer.batches();
    }

    /** Records written; over {@link #batchCount()}, how many records one batch carried on average. */
    public long recordCount() {
        return writer.recordsWritten();
    }

    /** Times an append woke the idle writer thread. */
    public long wakeupCount() {
        return writer.wakeups();
    }

    @Override
    public void close() {
        writer.close();
    }

    /** Waits for a writer-thread result, unwrapping its failure. */
    static void await(CompletableFuture<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventLogException("interrupted while waiting for the event log");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new EventLogException(String.valueOf(cause), cause);
        }
    }
}
