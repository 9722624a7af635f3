package dev.discoveryd.core;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole state: every cluster that has affiliates. A pure fold of events ({@link #evolve}); clusters left with no
 * affiliates are dropped. Not thread-safe.
 */
public final class View {
    private final Map<String, ClusterState> clusters = new HashMap<>();

    public ClusterState cluster(String clusterId) {
        return clusters.get(clusterId);
    }

    public Collection<ClusterState> clusters() {
        return Collections.unmodifiableCollection(clusters.values());
    }

    public int clusterCount() {
        return clusters.size();
    }

    public long affiliateCount() {
        long n = 0;
        for (ClusterState c : clusters.values()) {
            n += c.size();
        }
        return n;
    }

    /** Adds a cluster as it is (snapshot load). */
    public void restore(ClusterState cluster) {
        if (!cluster.isEmpty()) {
            clusters.put(cluster.id(), cluster);
        }
    }

    public void evolve(Event event) {
        ClusterState cluster = clusters.computeIfAbsent(event.clusterId(), ClusterState::new);
        cluster.evolve(event);
        if (cluster.isEmpty()) {
            clusters.remove(event.clusterId());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof View other && clusters.equals(other.clusters);
    }

    @Override
    public int hashCode() {
        return clusters.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "View" + clusters.values();
    }
}
