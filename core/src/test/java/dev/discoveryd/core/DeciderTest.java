package dev.discoveryd.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeciderTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void the1025thAffiliateIsRefusedButExistingOnesStillUpdate() {
        View view = new View();
        for (int i = 0; i < Limits.AFFILIATES_PER_CLUSTER; i++) {
            view.evolve(Decider.update(view.cluster("c"), "c", "a" + i, null, List.of(), Duration.ofMinutes(1), NOW));
        }
        assertThatThrownBy(() -> Decider.update(view.cluster("c"), "c", "new", null, List.of(), Duration.ofMinutes(1), NOW))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.error()).isInstanceOf(DomainError.TooManyAffiliates.class));
        assertThat(Decider.update(view.cluster("c"), "c", "a5", new byte[]{1}, List.of(), Duration.ofMinutes(1), NOW))
                .isNotNull();
    }

    @Test
    void validationNamesWhatIsWrong() {
        assertThatThrownBy(() -> Decider.update(null, "c", "a", new byte[2049], List.of(), Duration.ZERO, NOW))
                .hasMessageContaining("2049").hasMessageContaining("2048");
        assertThatThrownBy(() -> Decider.update(null, "c", "a", null, List.of(new byte[33]), Duration.ZERO, NOW))
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> Decider.update(null, "c", "a", null, List.of(), Duration.ofMinutes(31), NOW))
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> Decider.update(null, "é".repeat(129), "a", null, List.of(), Duration.ZERO, NOW))
                .as("limits count UTF-8 bytes, not characters").hasMessageContaining("258 bytes");
    }

    @Test
    void deletingAnUnknownAffiliateDecidesNothing() {
        assertThat(Decider.delete(null, "c", "a", NOW)).isNull();
    }

    @Test
    void expiryAtExactlyTheExpirationKeepsTheAffiliate() {
        View view = new View();
        view.evolve(Decider.update(null, "c", "a", null, List.of(new byte[]{1}), Duration.ofSeconds(10), NOW));
        assertThat(Decider.expire(view.cluster("c"), NOW.plusSeconds(10))).isEmpty();
        assertThat(Decider.expire(view.cluster("c"), NOW.plusMillis(10_001)))
                .containsExactly(new Event.AffiliateExpired("c", "a", NOW.plusMillis(10_001).toEpochMilli()));
    }
}
