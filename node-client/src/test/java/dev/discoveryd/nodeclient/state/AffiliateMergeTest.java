package dev.discoveryd.nodeclient.state;

import static dev.discoveryd.nodeclient.state.Fixtures.endpoint;
import static dev.discoveryd.nodeclient.state.Fixtures.info;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AffiliateMergeTest {
    @Test
    void mergesByNodeIdTakingFirstDataAndUnionOfEndpoints() {
        Map<String, DiscoveredAffiliate> first = Map.of(
                "a", new DiscoveredAffiliate("a", info("a"), List.of(endpoint("1.1.1.1:1"))),
                "b", new DiscoveredAffiliate("b", null, List.of(endpoint("2.2.2.2:2"))));
        Map<String, DiscoveredAffiliate> second = Map.of(
                "a", new DiscoveredAffiliate("a", info("other"), List.of(endpoint("1.1.1.1:1"), endpoint("1.1.1.2:1"))),
                "b", new DiscoveredAffiliate("b", info("b"), List.of()),
                "c", new DiscoveredAffiliate("c", info("c"), List.of()));
        List<DiscoveredAffiliate> merged = AffiliateMerge.merge(List.of(first, second));
        assertThat(merged).extracting(DiscoveredAffiliate::id).containsExactly("a", "b", "c");
        assertThat(merged.get(0).info()).isEqualTo(info("a"));
        assertThat(merged.get(0).endpoints()).containsExactly(endpoint("1.1.1.1:1"), endpoint("1.1.1.2:1"));
        assertThat(merged.get(1).info()).isEqualTo(info("b"));
        assertThat(merged.get(1).endpoints()).containsExactly(endpoint("2.2.2.2:2"));
    }

    @Test
    void diffReportsAddedUpdatedRemoved() {
        DiscoveredAffiliate a = new DiscoveredAffiliate("a", info("a"), List.of());
        DiscoveredAffiliate b = new DiscoveredAffiliate("b", info("b"), List.of());
        DiscoveredAffiliate b2 = new DiscoveredAffiliate("b", info("b"), List.of(endpoint("3.3.3.3:3")));
        DiscoveredAffiliate c = new DiscoveredAffiliate("c", info("c"), List.of());
        AffiliateDiff diff = AffiliateDiff.between(List.of(a, b), List.of(b2, c));
        assertThat(diff.added()).containsExactly(c);
        assertThat(diff.updated()).containsExactly(b2);
        assertThat(diff.removed()).containsExactly("a");
        assertThat(AffiliateDiff.between(List.of(a), List.of(a)).isEmpty()).isTrue();
    }
}
