package dev.discoveryd.eventlog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/** Opens the Chronicle queue of a data directory and names its cycle files. */
final class QueueFiles {
    static final String SUFFIX = ".cq4";
    /**
     * How much of a cycle file is mapped at a time. Every page written stays in the process's RSS while its chunk is
     * mapped, so Chronicle's 64 MiB default made the first 64 MiB of each day's log (about 150k changes) count as
     * the service's memory; 4 MiB keeps it to a few MiB. A record must fit in a quarter of it (ours are a few KiB).
     */
    static final long BLOCK_SIZE = 4L << 20;

    private QueueFiles() {
    }

    static RollCycle rollCycle(RollPeriod period) {
        return period == RollPeriod.HOURLY ? RollCycles.FAST_HOURLY : RollCycles.FAST_DAILY;
    }

    /**
     * The writable queue; call on the thread that will own it. Chronicle syncs nothing itself ({@code SyncMode.NONE}):
     * the writer syncs the files when its policy says so ({@link CycleFileSync}).
     */
    static SingleChronicleQueue openForWriting(LogOptions options) {
        Clock clock = options.clock();
        return SingleChronicleQueueBuilder.binary(options.logDir())
                .rollCycle(rollCycle(options.rollPeriod()))
                .blockSize(BLOCK_SIZE)
                .timeProvider(clock::millis)
                .syncMode(SyncMode.NONE)
                .build();
    }

    /** A read-only view of an existing log (audit tools; the service may be writing meanwhile). */
    static SingleChronicleQueue openReadOnly(Path dataDir) {
        return SingleChronicleQueueBuilder.binary(LogOptions.logDir(dataDir)).blockSize(BLOCK_SIZE).readOnly(true).build();
    }

    /** The file holding {@code cycle} (Chronicle names files by the cycle's start time in UTC). */
    static Path cycleFile(SingleChronicleQueue queue, int cycle) {
        RollCycle rc = queue.rollCycle();
        Instant start = Instant.ofEpochMilli(queue.epoch() + (long) cycle * rc.lengthInMillis());
        String name = DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC).format(start);
        return queue.file().toPath().resolve(name + SUFFIX);
    }
}
