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
}
