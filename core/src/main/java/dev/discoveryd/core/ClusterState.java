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
public final class ClusterState {
    private final String id;
    private final Map<String, Affiliate> affiliates = new LinkedHashMap<>();

    public ClusterState(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public Affiliate affiliate(String affiliateId) {
        return affiliates.get(affiliateId);
    }

    public Collection<Affiliate> affiliates() {
        return Collections.unmodifiableCollection(affiliates.values());
    }

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
        // Java 17: no pattern switch; the sealed hierarchy keeps this list complete.
        if (event instanceof Event.AffiliateUpdated u) {
            Affiliate current = affiliates.get(aid);
            Affiliate next = (current == null ? Affiliate.empty(aid) : current).merge(u.data(), u.endpoints(), u.expiresAt());
            affiliates.put(aid, next);
            return next;
        }
        if (event instanceof Event.AffiliateDeleted || event instanceof Event.AffiliateExpired) {
            affiliates.remove(aid);
            return null;
        }
        if (event instanceof Event.EndpointsExpired x) {
            Affiliate current = affiliates.get(aid);
            if (current == null) {
                return null;
            }
            Affiliate next = current.withoutEndpointsExpiredBefore(x.time());
            affiliates.put(aid, next);
            return next;
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
