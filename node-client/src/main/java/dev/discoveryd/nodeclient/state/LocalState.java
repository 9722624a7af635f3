package dev.discoveryd.nodeclient.state;

import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this node publishes: its own affiliate data and endpoints, plus endpoints it has observed for
 * other affiliates (published under their IDs, without data).
 *
 * @param info null when nothing is published for the local affiliate (watch-only or deleted)
 */
public record LocalState(AffiliateInfo info, List<NodeEndpoint> endpoints, Map<String, List<NodeEndpoint>> observed) {
    public static final LocalState NOTHING = new LocalState(null, List.of(), Map.of());

    public LocalState {
        endpoints = List.copyOf(endpoints);
        Map<String, List<NodeEndpoint>> copy = new TreeMap<>();
        observed.forEach((id, eps) -> copy.put(id, List.copyOf(eps)));
        observed = Map.copyOf(copy);
    }

    public LocalState withLocal(AffiliateInfo newInfo, List<NodeEndpoint> newEndpoints) {
        return new LocalState(newInfo, newEndpoints, observed);
    }

    public LocalState withObserved(Map<String, List<NodeEndpoint>> newObserved) {
        return new LocalState(info, endpoints, newObserved);
    }
}
