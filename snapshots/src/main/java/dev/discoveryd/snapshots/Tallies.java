package dev.discoveryd.snapshots;

import java.util.HashMap;
import java.util.Map;

/**
 * How many affiliates, endpoints and stored bytes each cluster in the snapshot has, so that an incremental save can
 * report the totals of the whole snapshot without reading it back. Owned by the store's writer.
 */
final class Tallies {
    private record Tally(int affiliates, int endpoints, int bytes) {
    }

    private final Map<String, Tally> byCluster = new HashMap<>();
    private long affiliates;
    private long endpoints;
    private long bytes;

    void put(String clusterId, int affiliateCount, int endpointCount, int storedBytes) {
        remove(clusterId);
        byCluster.put(clusterId, new Tally(affiliateCount, endpointCount, storedBytes));
        affiliates += affiliateCount;
        endpoints += endpointCount;
        bytes += storedBytes;
    }

    void remove(String clusterId) {
        Tally old = byCluster.remove(clusterId);
        if (old != null) {
            affiliates -= old.affiliates;
            endpoints -= old.endpoints;
            bytes -= old.bytes;
        }
    }

    /** Re-sealing changed only the stored size of a cluster. */
    void resize(String clusterId, int storedBytes) {
        Tally old = byCluster.get(clusterId);
        if (old != null) {
            put(clusterId, old.affiliates, old.endpoints, storedBytes);
        }
    }

    boolean contains(String clusterId) {
        return byCluster.containsKey(clusterId);
    }

    void clear() {
        byCluster.clear();
        affiliates = 0;
        endpoints = 0;
        bytes = 0;
    }

    long clusters() {
        return byCluster.size();
    }

    long affiliates() {
        return affiliates;
    }

    long endpoints() {
        return endpoints;
    }

    long bytes() {
        return bytes;
    }
}
