package dev.discoveryd.core;

import java.util.List;

/**
 * A change to the view. Events are the only way the view changes ({@link View#evolve}); they carry absolute times so
 * that replaying them gives the same view whatever the clock says at replay time. Times are epoch milliseconds.
 */
public sealed interface Event {
    String clusterId();

    String affiliateId();

    /** When the change was accepted. */
    long time();

    /**
     * An update was accepted: {@code data} (null: unchanged) replaces the data, endpoints are merged with
     * {@code expiresAt}, and the affiliate's expiration is raised to {@code expiresAt}. Creates the affiliate if needed.
     */
    record AffiliateUpdated(String clusterId, String affiliateId, long time, byte[] data, List<byte[]> endpoints,
                            long expiresAt) implements Event {
        public AffiliateUpdated {
            endpoints = List.copyOf(endpoints);
        }
    }

    /** The affiliate was deleted by its owner. */
    record AffiliateDeleted(String clusterId, String affiliateId, long time) implements Event {
    }

    /** Garbage collection removed the affiliate: its expiration was before {@code time}. */
    record AffiliateExpired(String clusterId, String affiliateId, long time) implements Event {
    }

    /** Garbage collection dropped {@code count} endpoints of the affiliate whose expiration was before {@code time}. */
    record EndpointsExpired(String clusterId, String affiliateId, long time, int count) implements Event {
    }
}
