package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.codec.EventCodec;
import dev.discoveryd.eventlog.record.RecordFormat;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of appends into chained records on disk: writes each event as a record linked to the one before,
 * syncs once for the whole batch when the policy says so (group commit), then completes the callers' futures in append
 * order. Keeps what follows from that: the chain's anchor, the last index written and acknowledged, whether anything
 * is unsynced, and the durable head. Used only by the {@link LogWriter} thread, except the volatile getters.
 */
final class BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final LogOptions options;
    private final DiskSpace space;
    private final CycleFileSync files = new CycleFileSync();
    private volatile long lastIndex = ChronicleEventLog.NO_INDEX;
    private volatile long syncs;
    /** Batches written and records in them (metrics: records per batch says how much group commit gathers). */
    private volatile long batches;
    private volatile long records;
    /** The last record known to be on disk (synced, or found there on opening); null for an empty log. */
    private volatile LogHead durableHead;

    // Writer-thread state.
    private ExcerptAppender appender;
    private byte[] anchor;
    private boolean dirty;
    /** The last record whose append was acknowledged: what {@link #lastIndex} falls back to when the writer stops. */
    private long acknowledged = ChronicleEventLog.NO_INDEX;
    /** Indexes of the batch's records in order, -1 for one not written. */
    private long[] indexes;
    /** Why the record at the same place in {@link #indexes} was not written (-1 there). */
    private EventLogException[] errors;
    private long lastSyncAt;

    BatchWriter(LogOptions options, int expectedRecords) {
        this.options = options;
        this.space = new DiskSpace(options.logDir(), options.minFreeBytes());
        this.indexes = new long[expectedRecords];
        this.errors = new EventLogException[expectedRecords];
    }

    /** Starts the chain after what tail recovery found: its last record's index and anchor. */
    void open(ExcerptAppender appender, TailRecovery.Tail tail) {
        this.appender = appender;
        anchor = tail.anchor();
        lastIndex = tail.lastIndex();
        acknowledged = lastIndex;
        durableHead = lastIndex == ChronicleEventLog.NO_INDEX ? null : new LogHead(lastIndex, anchor);
        lastSyncAt = options.clock().millis();
    }

    long lastIndex() {
        return lastIndex;
    }

    long syncs() {
        return syncs;
    }

    long batches() {
        return batches;
    }

    long records() {
        return records;
    }

    LogHead durableHead() {
        return durableHead;
    }

    /** Records are written and not yet synced. */
    boolean dirty() {
        return dirty;
    }

    /** When the last sync happened (or the log was opened), by the options' clock. */
    long lastSyncAt() {
        return lastSyncAt;
    }

    /** The writer stopped: records written but not acknowledged are no longer claimed as the log's end. */
    void fallBackToAcknowledged() {
        lastIndex = acknowledged;
    }

    static void failAll(List<CompletableFuture<LogPosition>> futures, String reason) {
        EventLogException e = new EventLogException(reason);
        for (CompletableFuture<LogPosition> f : futures) {
            f.completeExceptionally(e);
        }
    }

    /**
     * Writes, syncs (policy ALWAYS) and acknowledges {@code batch}, then empties it. Throws {@link WriterHalt} when
     * the sync failed: none of the batch is acknowledged, and the writer must take nothing more.
     */
    void write(List<WriterCommand.Append> batch) {
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
                indexes[k] = writeRecord(a.events().get(j), k);
                if (indexes[k] >= 0) {
                    written++;
                } else {
                    failed = errors[k];
                }
            }
        }
        batches++; // single writer thread: a plain increment of a volatile is safe
        this.records += written;
        if (written > 0 && options.syncPolicy() == SyncPolicy.ALWAYS) {
            // One sync for every record of every caller drained together (group commit across clusters).
            String syncFailure = sync();
            if (syncFailure != null) {
                // The batch's records may or may not be on disk: none is acknowledged, and nothing more is written.
                String reason = fsyncFailed(syncFailure);
                failWritten(batch, reason);
                batch.clear();
                throw new WriterHalt(reason);
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
    private long writeRecord(Event event, int slot) {
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

    /** Syncs what was written, or throws {@link WriterHalt} when the sync fails. */
    void syncOrHalt() {
        String syncFailure = sync();
        if (syncFailure != null) {
            throw new WriterHalt(fsyncFailed(syncFailure));
        }
    }

    /** Syncs to disk; returns null, or what went wrong. */
    String sync() {
        try {
            options.faults().beforeSync();
            files.sync(appender);
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

    /** Lets go of the file the syncs go to (the queue is closing). */
    void close() {
        files.close();
    }

    /**
     * After a failed fsync the kernel may already have dropped the dirty pages it could not write, and marked them
     * clean: a later fsync that succeeds says nothing about them. So the log stops taking changes (as PostgreSQL
     * does since "fsyncgate") rather than acknowledge records on top of a hole.
     */
    private static String fsyncFailed(String cause) {
        return "event log fsync failed (" + cause + "): records written since the last good sync may not be on disk";
    }
}
