package dev.discoveryd.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live snapshot may already contain some events after the index it claims (they were applied while clusters were
 * copied). Restart replays those again: replaying any suffix of a history on top of the full fold must change nothing.
 */
class ReplayOverlapPropertiesTest {

    record Step(int kind, int affiliate, List<Integer> endpoints, boolean withData, int ttl, int advance) {
    }

    @Property(tries = 300)
    void replayingAnAlreadyAppliedSuffixChangesNothing(@ForAll("histories") List<Step> steps, @ForAll("fractions") double cut) {
        List<Event> history = decide(steps);
        View full = new View();
        history.forEach(full::evolve);
        View again = new View();
        history.forEach(again::evolve);
        int from = (int) Math.floor(cut * history.size());
        history.subList(from, history.size()).forEach(again::evolve);
        assertThat(again).isEqualTo(full);
    }

    private static List<Event> decide(List<Step> steps) {
        View view = new View();
        List<Event> events = new ArrayList<>();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (Step s : steps) {
            now = now.plusSeconds(s.advance());
            ClusterState c = view.cluster("c");
            List<Event> decided = new ArrayList<>();
            try {
                switch (s.kind()) {
                    case 0, 1, 2 -> decided.add(Decider.update(c, "c", "a" + s.affiliate(),
                            s.withData() ? new byte[]{(byte) s.ttl(), 1} : null,
                            s.endpoints().stream().map(MergeAndExpiryPropertiesTest::endpoint).toList(),
                            Duration.ofSeconds(s.ttl()), now));
                    case 3 -> {
                        Event.AffiliateDeleted d = Decider.delete(c, "c", "a" + s.affiliate(), now);
                        if (d != null) {
                            decided.add(d);
                        }
                    }
                    default -> decided.addAll(Decider.expire(c, now));
                }
            } catch (DomainException refused) {
                continue;
            }
            decided.forEach(view::evolve);
            events.addAll(decided);
        }
        return events;
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 8).list().ofMaxSize(4), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 600), Arbitraries.integers().between(0, 300))
                .as(Step::new);
        return step.list().ofMaxSize(50);
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

}
