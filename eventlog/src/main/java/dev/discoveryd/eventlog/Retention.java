package dev.discoveryd.eventlog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes cycle files that ended more than the retention ago, never the current one and never one holding a record
 * at or after the oldest needed index. Runs on the log's owner thread.
 */
final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final Duration retention;
    private final Clock clock;
    private long oldestNeeded = ChronicleEventLog.NO_INDEX;

    Retention(Duration retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
    }

    void retainFrom(long oldestNeededIndex) {
        oldestNeeded = Math.max(oldestNeeded, oldestNeededIndex);
    }

    /** Deletes what may go; returns how many files were deleted. */
    int run(SingleChronicleQueue queue) {
        if (oldestNeeded < 0 || queue.firstIndex() == Long.MAX_VALUE) {
            return 0;
        }
        RollCycle rc = queue.rollCycle();
        int neededCycle = rc.toCycle(oldestNeeded);
        int current = queue.cycle();
        long cutoff = clock.millis() - retention.toMillis();
        int deleted = 0;
        for (Long c : queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle())) {
            int cycle = c.intValue();
            long end = queue.epoch() + (cycle + 1L) * rc.lengthInMillis();
            if (cycle >= neededCycle || cycle >= current || end > cutoff) {
                continue;
            }
            Path file = QueueFiles.cycleFile(queue, cycle);
            try {
                if (Files.deleteIfExists(file)) {
                    deleted++;
                }
            } catch (IOException e) {
                LOG.warn("Retention could not delete {}: {}", file, e.toString());
            }
        }
        if (deleted > 0) {
            queue.refreshDirectoryListing();
            LOG.info("Retention deleted {} event log file(s) older than {}", deleted, retention);
        }
        return deleted;
    }
}
