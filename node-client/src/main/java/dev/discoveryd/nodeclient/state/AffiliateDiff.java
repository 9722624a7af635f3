package dev.discoveryd.nodeclient.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The difference between two affiliate lists, for listeners that want events rather than snapshots. */
public record AffiliateDiff(List<DiscoveredAffiliate> added, List<DiscoveredAffiliate> updated, List<String> removed) {
    public AffiliateDiff {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        removed = List.copyOf(removed);
    }

    public static AffiliateDiff between(Collection<DiscoveredAffiliate> before, Collection<DiscoveredAffiliate> after) {
        Map<String, DiscoveredAffiliate> old = byId(before);
        Map<String, DiscoveredAffiliate> now = byId(after);
        List<DiscoveredAffiliate> added = new ArrayList<>();
        List<DiscoveredAffiliate> updated = new ArrayList<>();
        for (DiscoveredAffiliate a : after) {
            DiscoveredAffiliate previous = old.get(a.id());
            if (previous == null) {
                added.add(a);
            } else if (!previous.equals(a)) {
                updated.add(a);
            }
        }
        List<String> removed = before.stream().map(DiscoveredAffiliate::id).filter(id -> !now.containsKey(id)).toList();
        return new AffiliateDiff(added, updated, removed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
    }

    private static Map<String, DiscoveredAffiliate> byId(Collection<DiscoveredAffiliate> list) {
        return list.stream().collect(Collectors.toMap(DiscoveredAffiliate::id, Function.identity(), (a, b) -> b));
    }
}
