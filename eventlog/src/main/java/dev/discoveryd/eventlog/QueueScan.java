package dev.discoveryd.eventlog;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.record.ChainCheck;
import dev.discoveryd.eventlog.record.CheckedEvent;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/** Reads a queue's records in order through a {@link ChainCheck}; runs on the caller's thread with its own tailer. */
final class QueueScan {
    /** How often a following scan looks for new records at the end of the log. */
    static final long FOLLOW_POLL_NANOS = 100_000_000;

    private QueueScan() {
    }

    /**
     * Delivers every event after {@code afterIndex}. When starting past the beginning, the record at
     * {@code afterIndex} is checked (not delivered) so the chain links from it. Returns the finished check, whose
     * {@link ChainCheck#unresolvedTail()} tells whether the log ends with an unreadable record.
     */
    static ChainCheck scan(ChronicleQueue queue, KeyRing keys, long afterIndex, Consumer<CheckedEvent> visitor) {
        return scan(queue, keys, afterIndex, visitor, null);
    }

    /**
     * As {@link #scan(ChronicleQueue, KeyRing, long, Consumer)}, but at the end of the log waits for more records (polling
     * every {@link #FOLLOW_POLL_NANOS}) until {@code stop} says so; {@code stop} null: return at the end.
     */
    static ChainCheck scan(ChronicleQueue queue, KeyRing keys, long afterIndex, Consumer<CheckedEvent> visitor,
                           BooleanSupplier stop) {
        boolean fromStart = afterIndex < 0 || afterIndex < queue.firstIndex();
        // No anchor: the first record read may follow one that retention deleted.
        ChainCheck check = new ChainCheck(keys, null);
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (fromStart || !tailer.moveToIndex(afterIndex)) {
                tailer.toStart();
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        if (stop == null || stop.getAsBoolean()) {
                            break;
                        }
                        LockSupport.parkNanos(FOLLOW_POLL_NANOS);
                        continue;
                    }
                    long index = dc.index();
                    CheckedEvent event = check.next(index, readAll(dc.wire().bytes()));
                    if (event != null && index > afterIndex) {
                        visitor.accept(event);
                    }
                }
            }
        }
        return check;
    }

    static byte[] readAll(Bytes<?> bytes) {
        byte[] raw = new byte[(int) bytes.readRemaining()];
        bytes.read(raw);
        return raw;
    }
}
