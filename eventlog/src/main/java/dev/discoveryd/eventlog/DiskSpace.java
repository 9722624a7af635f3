package dev.discoveryd.eventlog;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses appends while the log's file system has less than {@code --log-min-free} usable. Chronicle writes through
 * memory-mapped files: on a full disk, touching a page that needs a new block is a bus error (at best an
 * InternalError, at worst the end of the JVM), not an IOException. Stopping short of full keeps the log intact and
 * the process up, so reads go on and writes resume by themselves once space is freed. Owned by the writer thread.
 */
final class DiskSpace {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
    private static final long MIB = 1024 * 1024;
    /** How often to look while space is plentiful; near the limit, every batch looks. */
    private static final long RELAXED_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Path dir;
    private final long minFree;
    private FileStore store;
    private long checkedAt;
    private boolean looked;
    private long free = Long.MAX_VALUE;
    private boolean refusing;

    DiskSpace(Path dir, long minFreeBytes) {
        this.dir = dir;
        this.minFree = minFreeBytes;
    }

    /** Null when appends may go ahead, else why not (the message the refused callers get). */
    String refusal() {
        if (minFree <= 0) {
            return null;
        }
        long now = System.nanoTime();
        if (looked && free >= 4 * minFree && now - checkedAt < RELAXED_NANOS) {
            return null;
        }
        looked = true;
        checkedAt = now;
        try {
            if (store == null) {
                store = Files.getFileStore(dir);
            }
            free = store.getUsableSpace();
        } catch (IOException e) {
            free = Long.MAX_VALUE; // cannot tell: let the write itself succeed or fail
            return null;
        }
        boolean low = free < minFree;
        if (low && !refusing) {
            LOG.warn("Event log disk nearly full: {} MiB free in {}, below --log-min-free {} MiB; changes are refused "
                    + "with UNAVAILABLE until space is freed (reads go on)", free / MIB, dir, minFree / MIB);
        } else if (!low && refusing) {
            LOG.info("Event log disk has {} MiB free again in {}; accepting changes", free / MIB, dir);
        }
        refusing = low;
        return low ? "disk full: " + free / MIB + " MiB free in " + dir + ", below the " + minFree / MIB
                + " MiB the log keeps in reserve (--log-min-free); changes resume once space is freed" : null;
    }
}
