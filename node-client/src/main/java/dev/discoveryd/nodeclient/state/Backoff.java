package dev.discoveryd.nodeclient.state;

import java.time.Duration;

/** Exponential reconnect delay with jitter, never giving up: initial * 2^attempt, capped. */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
    }

    /**
     * @param attempt  consecutive failures so far, starting at 0
     * @param random01 a uniform random number in [0, 1); the delay is spread over [50%, 100%] of the step
     */
    public Duration delay(int attempt, double random01) {
        long initialMs = initial.toMillis();
        long maxMs = max.toMillis();
        long step = attempt >= 30 ? maxMs : Math.min(maxMs, initialMs << attempt);
        return Duration.ofMillis(Math.max(1, (long) (step * (0.5 + 0.5 * random01))));
    }
}
