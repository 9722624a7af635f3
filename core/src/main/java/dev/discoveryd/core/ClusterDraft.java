package dev.discoveryd.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cluster's state with events on top that are decided but not recorded yet, without touching the state: the base
 * that a batch of commands is decided against, each on top of the events of the ones before (group commit). Reads as
 * the base would after {@link ClusterState#evolve} of the same events, in the same order. Costs only the affiliates
 * the events touch. Not thread-safe; the base must not change while the draft is in use.
 */
public final class ClusterDraft implements DecisionBase {
    private final ClusterState base;
    /** Affiliates the events changed; a null value: gone. */
    private final Map<String, Affiliate> changed = new LinkedHashMap<>();
    /** Changed affiliates that (re)appeared in the draft, so come after the base's affiliates. */
    private final Set<String> appended = new HashSet<>();
    private int size;

    public ClusterDraft(ClusterState base) {
        this.base = base;
        this.size = base.size();
    }

    @Override
    public String id() {
        return base.id();
    }

    @Override
    public Affiliate affiliate(String affiliateId) {
        if (changed.containsKey(affiliateId)) {
            return changed.get(affiliateId);
        }
        return base.affiliate(affiliateId);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Collection<Affiliate> affiliates() {
        if (changed.isEmpty()) {
            return base.affiliates();
        }
        List<Affiliate> all = new ArrayList<>(size);
        for (Affiliate a : base.affiliates()) {
            if (!changed.containsKey(a.id())) {
                all.add(a);
            } else if (!appended.contains(a.id()) && changed.get(a.id()) != null) {
                all.add(changed.get(a.id()));
            }
        }
        for (Map.Entry<String, Affiliate> e : changed.entrySet()) {
            if (e.getValue() != null && appended.contains(e.getKey())) {
                all.add(e.getValue());
            }
        }
        return all;
    }

    @Override
    public boolean expiresNothingBefore(long time) {
        return changed.isEmpty() && base.expiresNothingBefore(time);
    }

    /** Puts {@code event} (of this cluster) on top of the draft, as {@link ClusterState#evolve} would on the state. */
    public void evolve(Event event) {
        String id = event.affiliateId();
        Affiliate current = affiliate(id);
        Affiliate next = ClusterState.next(current, event);
        if (current == null && next != null) {
            // A map puts a new key last: so does the state, for an affiliate that is new or was removed before.
            changed.remove(id);
            appended.add(id);
            size++;
        } else if (current != null && next == null) {
            size--;
        }
        if (current != null || next != null) {
            changed.put(id, next);
        }
    }

    /** No events on top: the draft reads exactly as its base. */
    public boolean isClean() {
        return changed.isEmpty();
    }
}
