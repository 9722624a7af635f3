package dev.discoveryd.core;

import java.util.Collection;

/**
 * What {@link Decider} reads of a cluster: the live {@link ClusterState}, or a {@link ClusterDraft} (that state with
 * decided but not yet recorded events on top, for deciding a batch of commands in one go).
 */
public interface DecisionBase {
    String id();

    /** The affiliate, or null when there is none. */
    Affiliate affiliate(String affiliateId);

    int size();

    /** The affiliates in the order they (last) appeared. */
    Collection<Affiliate> affiliates();

    /**
     * True when it is known without reading the affiliates that none of them, nor any endpoint, expires before
     * {@code time} (epoch ms); false when that is not known. Lets garbage collection pass a cluster still in its stored
     * form without building it.
     */
    default boolean expiresNothingBefore(long time) {
        return false;
    }
}
