package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.LogConsumer;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * Wraps a {@link LogConsumer} and prints a progress line at most every {@code every} (for long replays at start-up
 * and in tools). Single-threaded.
 */
public final class ReplayProgress implements LogConsumer {
    private final LogConsumer delegate;
    private final PrintStream out;
    private final Clock clock;
    private final long everyMillis;
    private final long expected;
    private final long startedAt;
    private long nextAt;
    private long count;

    /** @param expected how many records to expect, or 0 when unknown */
    public ReplayProgress(LogConsumer delegate, PrintStream out, Clock clock, Duration every, long expected) {
        this.delegate = delegate;
        this.out = out;
        this.clock = clock;
        this.everyMillis = every.toMillis();
        this.expected = expected;
        this.startedAt = clock.millis();
        this.nextAt = startedAt + everyMillis;
    }

    @Override
    public void accept(LogPosition position, Event event) {
        delegate.accept(position, event);
        count++;
        if ((count & 1023) == 0 && clock.millis() >= nextAt) {
            nextAt = clock.millis() + everyMillis;
            out.println(expected > 0
                    ? String.format("replayed %d of ~%d events (%d%%)", count, expected, Math.min(100, count * 100 / expected))
                    : String.format("replayed %d events", count));
        }
    }

    /** Events passed on so far. */
    public long count() {
        return count;
    }

    /** Prints the closing line: how many events, how long, how fast. */
    public void finish() {
        long took = Math.max(1, clock.millis() - startedAt);
        out.println(String.format("replayed %d events in %.1f s (%d events/s)", count, took / 1000.0, count * 1000 / took));
    }
}
