package dev.discoveryd.service.state;

import dev.discoveryd.core.Event;

/** Observes applied changes (metrics, snapshots). Called with the cluster's lock held: must be quick. */
public interface StateListener {
    StateListener NONE = new StateListener() {
    };

    /** An event was recorded at {@code index} and applied; deltas are the change in affiliates and endpoints. */
    default void applied(Event event, long index, int affiliateDelta, int endpointDelta) {
    }

    default void clusterCreated(String clusterId) {
    }

    default void clusterForgotten(String clusterId) {
    }

    default void watchersChanged(int delta) {
    }

    default void journalFailed(Throwable cause) {
    }
}
