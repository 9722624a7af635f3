package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import java.nio.file.Path;
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
 * shows it. Only one process may open a data directory for writing at a time.
 */
public final class ChronicleEventLog implements EventLog {
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

    @Override
    public CompletableFuture<Long> append(Event event) {
        return writer.append(event);
    }

    @Override
    public void replay(long afterIndex, LogConsumer consumer) {
        writer.replay(afterIndex, consumer);
    }

    @Override
    public long lastIndex() {
        return writer.lastIndex();
    }

    @Override
    public void retainFrom(long oldestNeededIndex) {
        writer.retainFrom(oldestNeededIndex);
    }

    /**
     * Why the log takes no more changes (its writer thread met an Error, or an fsync failed), or null while it does.
     * Appends then fail at once with this reason; only a restart (which recovers the tail) clears it.
     */
    public String failure() {
        return writer.failure();
    }

    /** How many times the log was synced to disk (a metric; with ALWAYS, fewer than appends under concurrency). */
    public long syncCount() {
        return writer.syncs();
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
