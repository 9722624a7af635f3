package dev.discoveryd.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {
    @Test
    void printsProgressWhenTimeHasPassedAndAClosingLine() {
        MutableClock clock = new MutableClock(Instant.EPOCH);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] passed = {0};
        ReplayProgress progress = new ReplayProgress((i, e) -> passed[0]++,
                new PrintStream(bytes, true, StandardCharsets.UTF_8), clock, Duration.ofSeconds(2), 4096);
        Event e = new Event.AffiliateDeleted("c", "a", 1);
        for (int i = 0; i < 4096; i++) {
            progress.accept(LogPosition.of((long) i), e);
            if (i == 1500) {
                clock.advance(Duration.ofSeconds(3));
            }
        }
        progress.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(passed[0]).isEqualTo(4096);
        assertThat(out.lines()).containsExactly("replayed 2048 of ~4096 events (50%)",
                "replayed 4096 events in 3.0 s (1365 events/s)");
    }
}
