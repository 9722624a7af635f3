package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import java.util.concurrent.CompletableFuture;

/**
 * The append-only log of accepted changes. The view is a pure fold of its events, so {@link #replay} rebuilds exactly
 * the state that was served.
 *
 * <p>Indexes are positive or zero, strictly increasing in log order, but not contiguous (a Chronicle index holds the
 * roll cycle in its upper bits, and recovery records occupy indexes too).
 */
public interface EventLog extends AutoCloseable {
    /** "No index": replay everything, or the log is empty. */
    long NO_INDEX = -1;

    /**
     * Appends {@code event}. Never blocks the caller. The future completes with the record's index once the record is
     * durable per the log's {@link SyncPolicy}, or fails with {@link EventLogException} when it could not be written
     * (disk full, I/O error, log closed); a failed append must not be applied, and later appends are tried afresh.
     * Futures complete in append order, on the log's writer thread: keep callbacks short.
     */
    CompletableFuture<Long> append(Event event);

    /**
     * Calls {@code consumer} with every event after {@code afterIndex} ({@link #NO_INDEX} for all), in log order, and
     * returns when done. Blocks the caller; appends wait meanwhile. Fails with {@link EventLogException} when the log
     * is corrupt (the message names the first bad record).
     */
    void replay(long afterIndex, LogConsumer consumer);

    /** The index of the last record written, or {@link #NO_INDEX} when the log is empty. */
    long lastIndex();

    /**
     * Tells retention that records before {@code oldestNeededIndex} are no longer needed to rebuild the view (e.g. a
     * snapshot covers them). Until called, retention deletes nothing. Records at or after the index are always kept.
     */
    void retainFrom(long oldestNeededIndex);

    /** Waits for pending appends, syncs, and releases files. Appends after close fail. */
    @Override
    void close();
}
