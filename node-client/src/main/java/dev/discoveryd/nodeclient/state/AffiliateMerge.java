package dev.discoveryd.nodeclient.state;

import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges what several discovery servers report into one list, keyed by node ID: data from the first
 * session (in configuration order) that has it, endpoints from all sessions without duplicates.
 */
public final class AffiliateMerge {
    private AffiliateMerge() {
    }

    public static List<DiscoveredAffiliate> merge(Collection<Map<String, DiscoveredAffiliate>> sessions) {
        Map<String, AffiliateInfo> info = new TreeMap<>();
        Map<String, Set<NodeEndpoint>> endpoints = new TreeMap<>();
        for (Map<String, DiscoveredAffiliate> session : sessions) {
            for (DiscoveredAffiliate a : session.values()) {
                if (a.info() != null) {
                    info.putIfAbsent(a.id(), a.info());
                }
                endpoints.computeIfAbsent(a.id(), id -> new LinkedHashSet<>()).addAll(a.endpoints());
            }
        }
        List<DiscoveredAffiliate> merged = new ArrayList<>(endpoints.size());
        endpoints.forEach((id, eps) -> merged.add(new DiscoveredAffiliate(id, info.get(id), new ArrayList<>(eps))));
        return List.copyOf(merged);
    }
}
