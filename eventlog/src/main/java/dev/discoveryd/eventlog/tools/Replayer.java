package dev.discoveryd.eventlog.tools;

import dev.discoveryd.core.View;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.EventLogException;
import dev.discoveryd.eventlog.LogScanner;
import dev.discoveryd.eventlog.ReplayProgress;
import dev.discoveryd.eventlog.record.ChainBreakException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code replay --until T}: folds every event whose time is at or before T into a fresh view, the state as served at
 * T, and writes it with {@link ViewJson}. Progress lines go to {@code progress} every two seconds.
 */
public final class Replayer {
    private final Path dataDir;
    private final KeyRing keys;
    private final Clock clock;

    public Replayer(Path dataDir, KeyRing keys, Clock clock) {
        this.dataDir = dataDir;
        this.keys = keys;
        this.clock = clock;
    }

    /** The view as it was at {@code until}; fails with {@link EventLogException} when the log is unusable or corrupt. */
    public View replayUntil(Instant until, PrintStream progress) {
        View view = new View();
        long limit = until.toEpochMilli();
        try (LogScanner scanner = LogScanner.open(dataDir, keys)) {
            ReplayProgress counter = new ReplayProgress((index, e) -> view.evolve(e), progress, clock,
                    Duration.ofSeconds(2), scanner.recordCount());
            scanner.scan(ChronicleEventLog.NO_INDEX, ce -> {
                if (ce.event().time() <= limit) {
                    counter.accept(ChronicleEventLog.position(ce.index()), ce.event());
                }
            });
            counter.finish();
            return view;
        } catch (ChainBreakException e) {
            throw new EventLogException("event log is corrupt at " + e.getMessage());
        }
    }

    /** Writes the view at {@code until} as JSON; returns an {@link ExitCodes} value. */
    public int run(Instant until, Writer out, PrintStream progress) {
        return run(until, null, null, out, progress);
    }

    /** As {@link #run(Instant, Writer, PrintStream)}, only {@code cluster} when not null, decoded with {@code decoder}. */
    public int run(Instant until, String cluster, BlobDecoder decoder, Writer out, PrintStream progress) {
        View view;
        try {
            view = replayUntil(until, progress);
        } catch (EventLogException e) {
            progress.println("cannot replay: " + e.getMessage());
            return e.getMessage().contains("corrupt") ? ExitCodes.CORRUPT : ExitCodes.UNUSABLE;
        }
        ViewJson.write(view, until, -1, out, cluster, decoder);
        return ExitCodes.OK;
    }
}
