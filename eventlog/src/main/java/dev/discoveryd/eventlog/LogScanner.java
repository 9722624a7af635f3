package dev.discoveryd.eventlog;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.record.ChainCheck;
import dev.discoveryd.eventlog.record.CheckedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Read-only access to the log of a data directory for audit tools; works while the service is writing. Owned by the
 * thread that opened it.
 */
public final class LogScanner implements AutoCloseable {
    private final Path dataDir;
    private final KeyRing keys;
    private final SingleChronicleQueue queue;

    private LogScanner(Path dataDir, KeyRing keys, SingleChronicleQueue queue) {
        this.dataDir = dataDir;
        this.keys = keys;
        this.queue = queue;
    }

    /** Opens the log of {@code dataDir}; fails with {@link EventLogException} when there is none. */
    public static LogScanner open(Path dataDir, KeyRing keys) {
        Path dir = LogOptions.logDir(dataDir);
        if (!Files.isDirectory(dir)) {
            throw new EventLogException("no event log in " + dataDir + " (expected the directory " + dir + ")");
        }
        return new LogScanner(dataDir, keys, QueueFiles.openReadOnly(dataDir));
    }

    /**
     * Checks every record in order and hands each event after {@code afterIndex} to {@code visitor}. Throws
     * {@link dev.discoveryd.eventlog.record.ChainBreakException} at the first bad record; the returned check tells
     * whether the log ends with an unreadable (torn) record and how many records recovery dropped.
     */
    public ChainCheck scan(long afterIndex, Consumer<CheckedEvent> visitor) {
        return QueueScan.scan(queue, keys, afterIndex, visitor);
    }

    /**
     * As {@link #scan}, then keeps reading records as the service appends them (read-only: the service may run), until
     * {@code stop} returns true (checked while waiting at the end of the log, about every 100 ms).
     */
    public ChainCheck follow(long afterIndex, Consumer<CheckedEvent> visitor, BooleanSupplier stop) {
        return QueueScan.scan(queue, keys, afterIndex, visitor, stop);
    }

    /** Null when this log still reaches {@code head}, else why not (truncated, rewritten). */
    public String headProblem(LogHead head) {
        return HeadCheck.problem(queue, keys, head);
    }

    /** How many records (events and markers) the log holds; a hint for progress reports. */
    public long recordCount() {
        return queue.entryCount();
    }

    /** Where record {@code index} is, for people: its file and position in the file. */
    public String locate(long index) {
        int cycle = queue.rollCycle().toCycle(index);
        return QueueFiles.cycleFile(queue, cycle).getFileName() + " entry " + queue.rollCycle().toSequenceNumber(index);
    }

    /** Bytes of all files in the log directory. */
    public long sizeOnDisk() {
        try (Stream<Path> files = Files.list(LogOptions.logDir(dataDir))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        queue.close();
    }
}
