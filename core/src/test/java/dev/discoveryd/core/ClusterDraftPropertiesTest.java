package dev.discoveryd.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A draft with events on top reads exactly as the state after evolving the same events: lookups, size, and the
 * order of the affiliates (which decides the order of expiry events).
 */
class ClusterDraftPropertiesTest {
    @Property(tries = 300)
    void aDraftReadsAsTheEvolvedState(@ForAll long seed, @ForAll @IntRange(min = 0, max = 30) int before,
                                      @ForAll @IntRange(min = 0, max = 30) int drafted) {
        TestEvents events = new TestEvents(seed);
        ClusterState state = new ClusterState("c-cluster-0");
        for (Event e : oneCluster(events, before)) {
            state.evolve(e);
        }
        ClusterState expected = copy(state);
        ClusterDraft draft = new ClusterDraft(state);
        List<Event> onTop = oneCluster(events, drafted);
        for (Event e : onTop) {
            draft.evolve(e);
            expected.evolve(e);
            assertThat(ids(draft.affiliates())).isEqualTo(ids(expected.affiliates()));
            assertThat(draft.size()).isEqualTo(expected.size());
        }
        assertThat(new ArrayList<>(draft.affiliates())).isEqualTo(new ArrayList<>(expected.affiliates()));
        for (int i = 0; i < 5; i++) {
            assertThat(draft.affiliate("affiliate-" + i)).isEqualTo(expected.affiliate("affiliate-" + i));
        }
        assertThat(state).as("the base is untouched").isEqualTo(copyOfBase(seed, before));
    }

    private static List<Event> oneCluster(TestEvents events, int n) {
        List<Event> out = new ArrayList<>();
        while (out.size() < n) {
            Event e = events.next();
            if (e.clusterId().equals("c-cluster-0")) {
                out.add(e);
            }
        }
        return out;
    }

    private static ClusterState copyOfBase(long seed, int before) {
        ClusterState state = new ClusterState("c-cluster-0");
        for (Event e : oneCluster(new TestEvents(seed), before)) {
            state.evolve(e);
        }
        return state;
    }

    private static ClusterState copy(ClusterState state) {
        ClusterState copy = new ClusterState(state.id());
        for (Affiliate a : state.affiliates()) {
            copy.restore(a);
        }
        return copy;
    }

    private static List<String> ids(Iterable<Affiliate> affiliates) {
        List<String> ids = new ArrayList<>();
        affiliates.forEach(a -> ids.add(a.id()));
        return ids;
    }
}
