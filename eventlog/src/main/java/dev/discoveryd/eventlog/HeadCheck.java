package dev.discoveryd.eventlog;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.record.OpenedRecord;
import dev.discoveryd.eventlog.record.RecordException;
import dev.discoveryd.eventlog.record.RecordFormat;
import java.util.Arrays;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/** Does a log still reach a {@link LogHead} seen earlier? Runs on the caller's thread with its own tailer. */
final class HeadCheck {
    private HeadCheck() {
    }

    /**
     * Null when the log holds the head's record, authentic and with the head's mac, or when retention removed it and
     * the log goes on past it; otherwise why not, for people: the log was cut back (truncated) or rewritten.
     */
    static String problem(SingleChronicleQueue queue, KeyRing keys, LogHead head) {
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (tailer.moveToIndex(head.index())) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (dc.isPresent() && dc.index() == head.index()) {
                        return compare(keys, head, QueueScan.readAll(dc.wire().bytes()));
                    }
                }
            }
        }
        long records = queue.entryCount();
        long last = records == 0 ? ChronicleEventLog.NO_INDEX : queue.lastIndex();
        if (last < head.index()) {
            return "the log ends " + (records == 0 ? "before its first record" : "at record " + last)
                    + " but had reached record " + head.index() + ": records were cut off its end (truncated)";
        }
        if (head.index() < queue.firstIndex()) {
            return null; // retention removed the head's file; the log goes on past it
        }
        return "record " + head.index() + ", which the log had reached, is missing";
    }

    private static String compare(KeyRing keys, LogHead head, byte[] raw) {
        OpenedRecord record;
        try {
            record = RecordFormat.read(keys, raw);
        } catch (RecordException e) {
            return "record " + head.index() + ", which the log had reached, is unreadable (" + e.getMessage() + ")";
        }
        if (!Arrays.equals(record.mac(), head.mac())) {
            return "record " + head.index() + " is not the record the log had reached (the log was cut back and "
                    + "written again, or replaced by another log)";
        }
        return null;
    }
}
