package dev.discoveryd.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns commands into events against the current state of one cluster, or refuses them with a {@link DomainError}.
 * Pure: reads the state, never changes it; the time of the decision is passed in. The commands checked themselves
 * when they were made, so nothing is validated here.
 */
public final class Decider {
    private Decider() {
    }

    /**
     * The events {@code command} makes of {@code cluster} (null when it does not exist yet) at {@code now}; an empty
     * list for nothing to record. Throws {@link DomainException} to refuse. {@code cluster} is the live state, or a
     * {@link ClusterDraft} to decide a command on top of the events of the ones before it.
     */
    public static List<Event> decide(ClusterCommand command, DecisionBase cluster, Instant now) {
        // Java 17 has no exhaustive switch over sealed types; DeciderTest checks that every permitted kind is here.
        if (command instanceof ClusterCommand.Update update) {
            return List.of(update(cluster, update, now));
        }
        if (command instanceof ClusterCommand.Delete delete) {
            Event.AffiliateDeleted deleted = delete(cluster, delete, now);
            return deleted == null ? List.of() : List.of(deleted);
        }
        if (command instanceof ClusterCommand.Expire) {
            return expire(cluster, now);
        }
        throw new IllegalArgumentException("no decision for " + command.getClass().getName());
    }

    /**
     * An AffiliateUpdate. {@code cluster} may be null (the cluster does not exist yet). Present but empty data leaves
     * the data as it is.
     */
    public static Event.AffiliateUpdated update(DecisionBase cluster, String clusterId, String affiliateId, byte[] data,
                                                List<byte[]> endpoints, Duration ttl, Instant now) {
        return update(cluster, new ClusterCommand.Update(clusterId, affiliateId, data, endpoints, ttl), now);
    }

    private static Event.AffiliateUpdated update(DecisionBase cluster, ClusterCommand.Update command, Instant now) {
        String affiliateId = command.affiliateId();
        List<byte[]> endpoints = command.endpoints();
        byte[] data = command.data();
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
        return new Event.AffiliateUpdated(command.clusterId(), affiliateId, at, replacement, endpoints,
                at + command.ttl().toMillis());
    }

    /** An AffiliateDelete: an event when the affiliate exists, null when there is nothing to delete. */
    public static Event.AffiliateDeleted delete(DecisionBase cluster, String clusterId, String affiliateId, Instant now) {
        return delete(cluster, new ClusterCommand.Delete(clusterId, affiliateId), now);
    }

    private static Event.AffiliateDeleted delete(DecisionBase cluster, ClusterCommand.Delete command, Instant now) {
        if (cluster == null || cluster.affiliate(command.affiliateId()) == null) {
            return null;
        }
        return new Event.AffiliateDeleted(command.clusterId(), command.affiliateId(), now.toEpochMilli());
    }

    /** Garbage collection of one cluster at {@code now}: expired affiliates go, expired endpoints are dropped. */
    public static List<Event> expire(DecisionBase cluster, Instant now) {
        List<Event> events = new ArrayList<>();
        if (cluster == null) {
            return events;
        }
        long at = now.toEpochMilli();
        if (cluster.expiresNothingBefore(at)) {
            return events;
        }
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
