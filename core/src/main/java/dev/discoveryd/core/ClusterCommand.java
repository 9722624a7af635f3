package dev.discoveryd.core;

import java.time.Duration;
import java.util.List;

/**
 * What is asked of one cluster, as a value: the RPC intents (update, delete) and garbage collection. Checked against
 * the protocol's limits when made ({@link Validation}, the one place it happens), so a command that exists is
 * well-formed; {@link Decider#decide} turns it into events against the cluster's state.
 */
public sealed interface ClusterCommand {
    String clusterId();

    /** AffiliateUpdate: merge {@code endpoints}, replace non-empty {@code data}, refresh the TTL. */
    record Update(String clusterId, String affiliateId, byte[] data, List<byte[]> endpoints, Duration ttl)
            implements ClusterCommand {
        public Update {
            Validation.update(clusterId, affiliateId, data, endpoints, ttl);
        }
    }

    /** AffiliateDelete: nothing happens when the affiliate does not exist. */
    record Delete(String clusterId, String affiliateId) implements ClusterCommand {
        public Delete {
            Validation.clusterId(clusterId);
            Validation.affiliateId(affiliateId);
        }
    }

    /** Garbage collection at the decision's time: no client input, so nothing to check. */
    record Expire(String clusterId) implements ClusterCommand {
    }
}
