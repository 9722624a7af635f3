package dev.discoveryd.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeferredClusterStateTest {
    private final AtomicInteger builds = new AtomicInteger();
    private final Affiliate a = Affiliate.restore("a", new byte[]{1}, 100, new byte[][]{{1}, {2}}, new long[]{90, 95});
    private final Affiliate b = Affiliate.restore("b", new byte[]{2}, 200, new byte[][]{{3}}, new long[]{190});

    private ClusterState deferred() {
        return ClusterState.deferred("c", 2, 3, 90, cluster -> {
            builds.incrementAndGet();
            cluster.restore(a);
            cluster.restore(b);
        });
    }

    @Test
    void countsAnswerWithoutBuildingAndTheFirstReadBuildsOnce() {
        ClusterState c = deferred();

        assertThat(c.size()).isEqualTo(2);
        assertThat(c.endpointCount()).isEqualTo(3);
        assertThat(c.isEmpty()).isFalse();
        assertThat(c.id()).isEqualTo("c");
        assertThat(builds).hasValue(0);

        assertThat(c.affiliate("b")).isEqualTo(b);
        assertThat(c.affiliates()).containsExactly(a, b);
        assertThat(c.copyAffiliates()).containsExactly(a, b);
        assertThat(builds).hasValue(1);
        assertThat(c.isDeferred()).isFalse();
    }

    @Test
    void eventsApplyToTheBuiltAffiliatesAsToAnEagerCopy() {
        ClusterState eager = new ClusterState("c");
        eager.restore(a);
        eager.restore(b);
        ClusterState lazy = deferred();
        List<Event> events = List.of(new Event.AffiliateDeleted("c", "a", 1),
                new Event.AffiliateUpdated("c", "n", 1, new byte[]{9}, List.of(new byte[]{4}), 300),
                new Event.EndpointsExpired("c", "b", 191, 1));

        events.forEach(eager::evolve);
        events.forEach(lazy::evolve);

        assertThat(lazy).isEqualTo(eager);
        assertThat(lazy.affiliates()).containsExactlyElementsOf(eager.affiliates());
    }

    @Test
    void aCopyOfADeferredClusterStaysDeferredAndSharesTheStoredForm() {
        ClusterState c = deferred();

        ClusterState copy = c.copy();

        assertThat(c.isDeferred()).isTrue();
        assertThat(copy.isDeferred()).isTrue();
        assertThat(copy.size()).isEqualTo(2);
        assertThat(copy.affiliates()).containsExactly(a, b);
        assertThat(c.isDeferred()).as("building the copy leaves the original as it was").isTrue();
        c.evolve(new Event.AffiliateDeleted("c", "a", 1));
        assertThat(copy.affiliates()).containsExactly(a, b);
        assertThat(c.copy().affiliates()).containsExactly(b);
    }

    @Test
    void aSourceThatRestoresOtherThanTheStoredCountIsRefused() {
        ClusterState c = ClusterState.deferred("c", 3, 0, 0, cluster -> cluster.restore(a));

        assertThatThrownBy(c::affiliates).isInstanceOf(IllegalStateException.class).hasMessageContaining("3 affiliates");
    }

    @Test
    void anEmptyDeferredClusterIsAPlainEmptyOne() {
        ClusterState c = ClusterState.deferred("c", 0, 0, 0, cluster -> builds.incrementAndGet());

        assertThat(c.isEmpty()).isTrue();
        assertThat(c.isDeferred()).isFalse();
        assertThat(c.affiliates()).isEmpty();
        assertThat(builds).hasValue(0);
    }

    @Test
    void garbageCollectionPassesADeferredClusterWithNothingExpiredWithoutBuildingIt() {
        ClusterState c = deferred();

        assertThat(Decider.expire(c, java.time.Instant.ofEpochMilli(90))).isEmpty();
        assertThat(Decider.expire(new ClusterDraft(c), java.time.Instant.ofEpochMilli(90))).isEmpty();
        assertThat(builds).hasValue(0);

        assertThat(Decider.expire(new ClusterDraft(c), java.time.Instant.ofEpochMilli(91)))
                .containsExactly(new Event.EndpointsExpired("c", "a", 91, 1));
        assertThat(builds).hasValue(1);
        assertThat(c.expiresNothingBefore(0)).as("built: no longer known without reading").isFalse();
    }
}
