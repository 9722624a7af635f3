package dev.discoveryd.snapshots;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clusters changed since the last snapshot, for incremental saves. Mark a cluster after applying an event to it;
 * at save time {@link #drain} first, then copy the drained clusters: a mark that races with the drain either stays
 * for the next save or belongs to an event the copy already shows.
 */
public final class DirtyClusters {
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    public void mark(String clusterId) {
        ids.add(clusterId);
    }

    /** Marks again clusters whose save failed. */
    public void markAll(Collection<String> clusterIds) {
        ids.addAll(clusterIds);
    }

    /** Takes every marked cluster, leaving none marked (apart from concurrent marks). */
    public Set<String> drain() {
        Set<String> drained = new HashSet<>();
        for (Iterator<String> it = ids.iterator(); it.hasNext(); ) {
            drained.add(it.next());
            it.remove();
        }
        return drained;
    }

    public int size() {
        return ids.size();
    }
}
