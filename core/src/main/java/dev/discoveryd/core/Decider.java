package dev.discoveryd.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns requests into events against the current state of one cluster, or refuses them with a {@link DomainError}.
 * Pure: reads the state, never changes it; the time of the decision is passed in.
 */
public final class Decider {
    private Decider() {
    }

    /**
     * An AffiliateUpdate. {@code cluster} may be null (the cluster does not exist yet). Present but empty data leaves
     * the data as it is.
     */
    public static Event.AffiliateUpdated update(ClusterState cluster, String clusterId, String affiliateId, byte[] data,
                                                List<byte[]> endpoints, Duration ttl, Instant now) {
        Validation.update(clusterId, affiliateId, data, endpoints, ttl);
        Affiliate current = cluster == null ? null : cluster.affiliate(affiliateId);
        if (current == null) {
            int size = cluster == null ? 0 : cluster.size();
            if (size >= Limits.AFFILIATES_PER_CLUSTER) {
                throw new DomainException(new DomainError.TooManyAffiliates(
                        "cluster has " + size + " affiliates, the limit is " + Limits.AFFILIATES_PER_CLUSTER));
            }
            current = Affiliate.empty(affiliateId);
        }
        int after = current.endpointCountAfterMerge(endpoints);
        if (after > Limits.ENDPOINTS_PER_AFFILIATE) {
            throw new DomainException(new DomainError.TooManyEndpoints(
                    "affiliate would have " + after + " endpoints, the limit is " + Limits.ENDPOINTS_PER_AFFILIATE));
        }
        long at = now.toEpochMilli();
        byte[] replacement = data != null && data.length > 0 ? data.clone() : null;
        return new Event.AffiliateUpdated(clusterId, affiliateId, at, replacement, endpoints, at + ttl.toMillis());
    }

    /** An AffiliateDelete: an event when the affiliate exists, null when there is nothing to delete. */
    public static Event.AffiliateDeleted delete(ClusterState cluster, String clusterId, String affiliateId, Instant now) {
        Validation.clusterId(clusterId);
        Validation.affiliateId(affiliateId);
        if (cluster == null || cluster.affiliate(affiliateId) == null) {
            return null;
        }
        return new Event.AffiliateDeleted(clusterId, affiliateId, now.toEpochMilli());
    }

    /** Garbage collection of one cluster at {@code now}: expired affiliates go, expired endpoints are dropped. */
    public static List<Event> expire(ClusterState cluster, Instant now) {
        List<Event> events = new ArrayList<>();
        if (cluster == null) {
            return events;
        }
        long at = now.toEpochMilli();
        for (Affiliate a : cluster.affiliates()) {
            if (a.isExpired(at)) {
                events.add(new Event.AffiliateExpired(cluster.id(), a.id(), at));
            } else {
                int stale = a.countEndpointsExpiredBefore(at);
                if (stale > 0) {
                    events.add(new Event.EndpointsExpired(cluster.id(), a.id(), at, stale));
                }
            }
        }
        return events;
    }
}
