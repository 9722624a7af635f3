package dev.discoveryd.eventlog;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.record.OpenedRecord;
import dev.discoveryd.eventlog.record.RecordException;
import dev.discoveryd.eventlog.record.RecordFormat;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where the chain continues when the log opens. An unreadable last record (torn by a crash) is dropped: a drop
 * marker naming it is appended, so it stays auditable and the chain goes on from the last good record.
 */
final class TailRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TailRecovery.class);

    /** Where the next record links to. */
    record Tail(byte[] anchor, long lastIndex) {
    }

    private TailRecovery() {
    }

    static Tail recover(ChronicleQueue queue, ExcerptAppender appender, KeyRing keys, Path dataDir) {
        long lastIdx = ChronicleEventLog.NO_INDEX;
        byte[] lastRaw = null;
        long prevIdx = ChronicleEventLog.NO_INDEX;
        byte[] prevRaw = null;
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            for (int i = 0; i < 2; i++) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    if (i == 0) {
                        lastIdx = dc.index();
                        lastRaw = QueueScan.readAll(dc.wire().bytes());
                    } else {
                        prevIdx = dc.index();
                        prevRaw = QueueScan.readAll(dc.wire().bytes());
                    }
                }
            }
        }
        if (lastRaw == null) {
            return new Tail(RecordFormat.GENESIS, ChronicleEventLog.NO_INDEX);
        }
        String lastProblem;
        try {
            return new Tail(RecordFormat.read(keys, lastRaw).mac(), lastIdx);
        } catch (RecordException e) {
            lastProblem = e.getMessage();
        }
        byte[] anchor = RecordFormat.GENESIS;
        if (prevRaw != null) {
            try {
                OpenedRecord prev = RecordFormat.read(keys, prevRaw);
                anchor = prev.mac();
            } catch (RecordException e) {
                throw new EventLogException("event log is corrupt: record " + prevIdx + " before the last record is "
                        + "unreadable (" + e.getMessage() + "); see it with: " + ChronicleEventLog.verifyCommand(dataDir));
            }
        }
        byte[] marker = RecordFormat.dropMarker(keys, anchor, lastIdx);
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(marker);
        }
        long markerIndex = appender.lastIndexAppended();
        try (CycleFileSync files = new CycleFileSync()) {
            files.sync(appender);
        }
        LOG.warn("Dropped the unreadable last record {} of the event log ({}), presumably torn by a crash; "
                + "marker written at {}", lastIdx, lastProblem, markerIndex);
        return new Tail(RecordFormat.read(keys, marker).mac(), markerIndex);
    }
}
