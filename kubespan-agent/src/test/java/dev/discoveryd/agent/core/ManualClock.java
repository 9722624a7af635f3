package dev.discoveryd.agent.core;

import java.time.Duration;
import java.time.Instant;

/** Time that moves only when the test says so. */
final class ManualClock {
    private Instant now = Instant.parse("2026-12-01T00:00:00Z");

    Instant now() {
        return now;
    }

    Instant advance(long seconds) {
        now = now.plus(Duration.ofSeconds(seconds));
        return now;
    }
}
