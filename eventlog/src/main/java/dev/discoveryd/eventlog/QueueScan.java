package dev.discoveryd.eventlog;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.record.ChainCheck;
import dev.discoveryd.eventlog.record.CheckedEvent;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/** Reads a queue's records in order through a {@link ChainCheck}; runs on the caller's thread with its own tailer. */
final class QueueScan {
    private QueueScan() {
    }

    /**
     * Delivers every event after {@code afterIndex}. When starting past the beginning, the record at
     * {@code afterIndex} is checked (not delivered) so the chain links from it. Returns the finished check, whose
     * {@link ChainCheck#unresolvedTail()} tells whether the log ends with an unreadable record.
     */
    static ChainCheck scan(ChronicleQueue queue, KeyRing keys, long afterIndex, Consumer<CheckedEvent> visitor) {
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
                        break;
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
