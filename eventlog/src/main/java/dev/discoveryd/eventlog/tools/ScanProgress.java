package dev.discoveryd.eventlog.tools;

import java.io.PrintStream;
import java.time.Clock;

/**
 * Progress lines for long scans ({@code log verify}, {@code log dump}): at most one every two seconds, to a stream of
 * its own (stderr), so that the output proper stays clean. Single-threaded.
 */
final class ScanProgress {
    private static final long EVERY_MILLIS = 2_000;

    private final String what;
    private final PrintStream out;
    private final Clock clock;
    private final long expected;
    private final long startedAt;
    private long nextAt;
    private long count;

    /** @param expected records to expect (a hint), or 0 when unknown; {@code out} null: silent */
    ScanProgress(String what, PrintStream out, Clock clock, long expected) {
        this.what = what;
        this.out = out;
        this.clock = clock;
        this.expected = expected;
        this.startedAt = clock.millis();
        this.nextAt = startedAt + EVERY_MILLIS;
    }

    void tick() {
        count++;
        if (out != null && (count & 4095) == 0 && clock.millis() >= nextAt) {
            long now = clock.millis();
            nextAt = now + EVERY_MILLIS;
            long rate = count * 1000 / Math.max(1, now - startedAt);
            out.println(expected > 0
                    ? String.format("%s: %d of ~%d events (%d%%), %d events/s", what, count, expected,
                            Math.min(100, count * 100 / expected), rate)
                    : String.format("%s: %d events, %d events/s", what, count, rate));
        }
    }

    long count() {
        return count;
    }

    /** The closing line (only when the scan took long enough to have printed progress). */
    void finish() {
        long took = Math.max(1, clock.millis() - startedAt);
        if (out != null && took >= EVERY_MILLIS) {
            out.println(String.format("%s: %d events in %.1f s (%d events/s)", what, count, took / 1000.0,
                    count * 1000 / took));
        }
    }
}
