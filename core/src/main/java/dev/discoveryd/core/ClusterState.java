package dev.discoveryd.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The affiliates of one cluster, in the order they first appeared. Not thread-safe: its owner serializes access.
 *
 * <p>A cluster loaded from a snapshot may be {@linkplain #deferred deferred}: its affiliates stay in their stored form
 * (one compact run of bytes instead of several objects per affiliate) until something reads or changes them, so that
 * a start-up with a million affiliates builds only the clusters it is asked about.
 */
public final class ClusterState implements DecisionBase {
    /** Builds a deferred cluster's affiliates, once, into the (empty) cluster given, with {@link #restore}. */
    @FunctionalInterface
    public interface Deferred {
        void restoreInto(ClusterState cluster);
    }

    private final String id;
    private final Map<String, Affiliate> affiliates = new LinkedHashMap<>();
    /** Non-null until a deferred cluster's affiliates are built; then the counts below are no longer used. */
    private Deferred deferred;
    private int deferredSize;
    private int deferredEndpoints;
    /** The earliest expiration of a deferred cluster's affiliates and endpoints. */
    private long deferredEarliest;

    public ClusterState(String id) {
        this.id = id;
    }

    /**
     * A cluster of {@code size} affiliates with {@code endpoints} endpoints in all, none expiring before
     * {@code earliestExpiry} (epoch ms; the least expiration of any affiliate or endpoint), which {@code source} builds
     * on first use (any read of an affiliate, any change). {@code source} must restore exactly that; its input must not
     * change meanwhile.
     */
    public static ClusterState deferred(String id, int size, int endpoints, long earliestExpiry, Deferred source) {
        ClusterState cluster = new ClusterState(id);
        if (size > 0) {
            cluster.deferred = source;
            cluster.deferredSize = size;
            cluster.deferredEndpoints = endpoints;
            cluster.deferredEarliest = earliestExpiry;
        }
        return cluster;
    }

    @Override
    public boolean expiresNothingBefore(long time) {
        return deferred != null && deferredEarliest >= time;
    }

    /** Whether the affiliates are still in their stored form (not built yet). */
    public boolean isDeferred() {
        return deferred != null;
    }

    /** A copy that reads as this cluster does now; a deferred cluster's copy shares its (unchanging) stored form. */
    public ClusterState copy() {
        if (deferred != null) {
            return deferred(id, deferredSize, deferredEndpoints, deferredEarliest, deferred);
        }
        ClusterState copy = new ClusterState(id);
        copy.affiliates.putAll(affiliates);
        return copy;
    }

    private Map<String, Affiliate> built() {
        Deferred source = deferred;
        if (source != null) {
            deferred = null;
            source.restoreInto(this);
            if (affiliates.size() != deferredSize) {
                throw new IllegalStateException("cluster " + id + " was stored with " + deferredSize
                        + " affiliates, " + affiliates.size() + " came back");
            }
        }
        return affiliates;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Affiliate affiliate(String affiliateId) {
        return built().get(affiliateId);
    }

    @Override
    public Collection<Affiliate> affiliates() {
        return Collections.unmodifiableCollection(built().values());
    }

    @Override
    public int size() {
        return deferred != null ? deferredSize : affiliates.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public int endpointCount() {
        if (deferred != null) {
            return deferredEndpoints;
        }
        int n = 0;
        for (Affiliate a : affiliates.values()) {
            n += a.endpointCount();
        }
        return n;
    }

    /** Puts an affiliate as it is (snapshot load); not an event. */
    public void restore(Affiliate affiliate) {
        built().put(affiliate.id(), affiliate); // a deferred cluster's source restores through here (already undeferred)
    }

    /**
     * Applies one event of this cluster and returns the affiliate as it is afterwards, or null when it is gone.
     */
    public Affiliate evolve(Event event) {
        String aid = event.affiliateId();
        Map<String, Affiliate> affiliates = built();
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
        return new ArrayList<>(built().values());
    }

    /** Same ID and same affiliates; the order of affiliates carries no meaning (a cluster is a set of nodes). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterState other && id.equals(other.id) && built().equals(other.built());
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return deferred != null ? "ClusterState{" + id + ", " + deferredSize + " affiliates, deferred}"
                : "ClusterState{" + id + ", " + affiliates.values() + '}';
    }
}
