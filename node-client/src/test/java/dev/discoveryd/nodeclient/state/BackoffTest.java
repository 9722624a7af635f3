package dev.discoveryd.nodeclient.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

    @Test
    void doublesUpToTheCapAndNeverGivesUp() {
        assertThat(backoff.delay(0, 0.999)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(backoff.delay(3, 0.999)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
        assertThat(backoff.delay(20, 0.999)).isBetween(Duration.ofMillis(29_900), Duration.ofSeconds(30));
        assertThat(backoff.delay(10_000, 0.999)).isBetween(Duration.ofMillis(29_900), Duration.ofSeconds(30));
    }

    @Test
    void jitterSpreadsOverTheUpperHalf() {
        assertThat(backoff.delay(3, 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(3, 0.5)).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
