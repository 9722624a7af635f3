package dev.discoveryd.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The affiliates of one cluster, in the order they first appeared. Not thread-safe: its owner serializes access.
 */
public final class ClusterState implements DecisionBase {
    private final String id;
    private final Map<String, Affiliate> affiliates = new LinkedHashMap<>();

    public ClusterState(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Affiliate affiliate(String affiliateId) {
        return affiliates.get(affiliateId);
    }

    @Override
    public Collection<Affiliate> affiliates() {
        return Collections.unmodifiableCollection(affiliates.values());
    }

    @Override
    public int size() {
        return affiliates.size();
    }

    public boolean isEmpty() {
        return affiliates.isEmpty();
    }

    public int endpointCount() {
        int n = 0;
        for (Affiliate a : affiliates.values()) {
            n += a.endpointCount();
        }
        return n;
    }

    /** Puts an affiliate as it is (snapshot load); not an event. */
    public void restore(Affiliate affiliate) {
        affiliates.put(affiliate.id(), affiliate);
    }

    /**
     * Applies one event of this cluster and returns the affiliate as it is afterwards, or null when it is gone.
     */
    public Affiliate evolve(Event event) {
        String aid = event.affiliateId();
        Affiliate current = affiliates.get(aid);
        Affiliate next = next(current, event);
        if (next != null) {
            affiliates.put(aid, next);
        } else if (current != null) {
            affiliates.remove(aid);
        }
        return next;
    }

    /**
     * What {@code event} makes of the affiliate it names, {@code current} (null: there is none): the affiliate
     * afterwards, or null when there is none. Pure; shared by the state and {@link ClusterDraft}.
     */
    static Affiliate next(Affiliate current, Event event) {
        // Java 17: no pattern switch; the sealed hierarchy keeps this list complete.
        if (event instanceof Event.AffiliateUpdated u) {
            return (current == null ? Affiliate.empty(event.affiliateId()) : current)
                    .merge(u.data(), u.endpoints(), u.expiresAt());
        }
        if (event instanceof Event.AffiliateDeleted || event instanceof Event.AffiliateExpired) {
            return null;
        }
        if (event instanceof Event.EndpointsExpired x) {
            return current == null ? null : current.withoutEndpointsExpiredBefore(x.time());
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /** A copy of the affiliates, for readers that must not see later changes. */
    public List<Affiliate> copyAffiliates() {
        return new ArrayList<>(affiliates.values());
    }

    /** Same ID and same affiliates; the order of affiliates carries no meaning (a cluster is a set of nodes). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterState other && id.equals(other.id) && affiliates.equals(other.affiliates);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ClusterState{" + id + ", " + affiliates.values() + '}';
    }
}
