package dev.discoveryd.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One decide for every command; commands check themselves when made. */
class DecideCommandTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** One example of each kind; a new kind of command fails here until decide handles it. */
    private static ClusterCommand example(Class<?> kind) {
        if (kind == ClusterCommand.Update.class) {
            return new ClusterCommand.Update("c", "a", new byte[] {1}, List.of(new byte[] {2}), Duration.ofMinutes(1));
        }
        if (kind == ClusterCommand.Delete.class) {
            return new ClusterCommand.Delete("c", "a");
        }
        if (kind == ClusterCommand.Expire.class) {
            return new ClusterCommand.Expire("c");
        }
        throw new AssertionError("no example for " + kind + ": add one, and a branch in Decider.decide");
    }

    @Test
    void everyKindOfCommandIsDecided() {
        ClusterState cluster = new ClusterState("c");
        for (Class<?> kind : ClusterCommand.class.getPermittedSubclasses()) {
            assertThat(Decider.decide(example(kind), cluster, NOW)).as(kind.getSimpleName()).isNotNull();
        }
    }

    @Test
    void decideFoldsLikeTheSingleDecisions() {
        ClusterState cluster = new ClusterState("c");
        List<Event> updated = Decider.decide(example(ClusterCommand.Update.class), cluster, NOW);
        assertThat(updated).hasSize(1).first().isInstanceOf(Event.AffiliateUpdated.class);
        updated.forEach(cluster::evolve);
        assertThat(Decider.decide(example(ClusterCommand.Delete.class), cluster, NOW)).hasSize(1);
        assertThat(Decider.decide(new ClusterCommand.Delete("c", "nobody"), cluster, NOW)).isEmpty();
        assertThat(Decider.decide(new ClusterCommand.Expire("c"), cluster, NOW.plus(Duration.ofHours(1))))
                .singleElement().isInstanceOf(Event.AffiliateExpired.class);
    }

    @Test
    void aCommandThatBreaksTheLimitsCannotBeMade() {
        assertThatThrownBy(() -> new ClusterCommand.Delete("", "a")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> new ClusterCommand.Update("c", "a", new byte[Limits.AFFILIATE_DATA_MAX_BYTES + 1],
                List.of(), Duration.ofMinutes(1))).isInstanceOf(DomainException.class);
    }
}
