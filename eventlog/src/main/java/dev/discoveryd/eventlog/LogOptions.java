package dev.discoveryd.eventlog;

import dev.discoveryd.crypto.KeyRing;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ChronicleEventLog}. Start from {@link #defaults} and change with the {@code with} methods.
 *
 * @param dataDir      the data directory ({@code --data-dir}); the log lives in its {@code eventlog} subdirectory
 * @param syncPolicy   {@code --log-sync}
 * @param syncInterval how often {@link SyncPolicy#PERIODIC} syncs
 * @param retention    {@code --log-retention}: files whose cycle ended longer ago may be deleted
 * @param rollPeriod   how often a new file starts
 * @param keys         at-rest keys
 * @param clock        time for roll cycles, retention and periodic sync
 * @param minFreeBytes {@code --log-min-free}: appends are refused while the disk has less free (0: never refused)
 * @param faults       faults injected into the writer thread's path (tests); {@link WriterFaults#NONE} otherwise
 */
public record LogOptions(Path dataDir, SyncPolicy syncPolicy, Duration syncInterval, Duration retention,
                         RollPeriod rollPeriod, KeyRing keys, Clock clock, long minFreeBytes,
                         WriterFaults faults) {
    /** Two of Chronicle's 64 MiB mapped chunks: what the writer may touch before it looks again, with room to spare. */
    public static final long DEFAULT_MIN_FREE_BYTES = 128L * 1024 * 1024;

    public static final String LOG_DIR = "eventlog";

    public LogOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(syncPolicy, "syncPolicy");
        Objects.requireNonNull(rollPeriod, "rollPeriod");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(faults, "faults");
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("sync interval must be positive: " + syncInterval);
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minimum free space must not be negative: " + minFreeBytes);
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + retention);
        }
    }

    /** ALWAYS sync (1 s interval if switched to PERIODIC), 7 days retention, daily files, system UTC clock. */
    public static LogOptions defaults(Path dataDir, KeyRing keys) {
        return new LogOptions(dataDir, SyncPolicy.ALWAYS, Duration.ofSeconds(1), Duration.ofDays(7), RollPeriod.DAILY,
                keys, Clock.systemUTC(), DEFAULT_MIN_FREE_BYTES,
                WriterFaults.NONE);
    }

    /** Where the Chronicle queue files of {@code dataDir} are. */
    public static Path logDir(Path dataDir) {
        return dataDir.resolve(LOG_DIR);
    }

    public Path logDir() {
        return logDir(dataDir);
    }

    public LogOptions withSync(SyncPolicy policy, Duration interval) {
        return new LogOptions(dataDir, policy, interval, retention, rollPeriod, keys, clock, minFreeBytes, faults);
    }

    public LogOptions withRetention(Duration newRetention) {
        return new LogOptions(dataDir, syncPolicy, syncInterval, newRetention, rollPeriod, keys, clock, minFreeBytes, faults);
    }

    public LogOptions withRollPeriod(RollPeriod period) {
        return new LogOptions(dataDir, syncPolicy, syncInterval, retention, period, keys, clock, minFreeBytes, faults);
    }

    public LogOptions withKeys(KeyRing newKeys) {
        return new LogOptions(dataDir, syncPolicy, syncInterval, retention, rollPeriod, newKeys, clock, minFreeBytes, faults);
    }

    public LogOptions withClock(Clock newClock) {
        return new LogOptions(dataDir, syncPolicy, syncInterval, retention, rollPeriod, keys, newClock, minFreeBytes, faults);
    }

    public LogOptions withMinFree(long bytes) {
        return new LogOptions(dataDir, syncPolicy, syncInterval, retention, rollPeriod, keys, clock, bytes, faults);
    }

    public LogOptions withFaults(WriterFaults injected) {
        return new LogOptions(dataDir, syncPolicy, syncInterval, retention, rollPeriod, keys, clock, minFreeBytes, injected);
    }
}
