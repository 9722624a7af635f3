package dev.discoveryd.service.state;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;

/** Observes applied changes (metrics, snapshots). Called with the cluster's lock held: must be quick. */
public interface StateListener {
    StateListener NONE = new StateListener() {
    };

    /** An event was recorded at {@code position} and applied; deltas are the change in affiliates and endpoints. */
    default void applied(Event event, LogPosition position, int affiliateDelta, int endpointDelta) {
    }

    default void clusterCreated(String clusterId) {
    }

    /**
     * Affiliates and endpoints that arrived with a partition this instance took over (positive) or left with one it
     * handed over (negative): state that came or went without an applied change.
     */
    default void affiliatesMoved(int affiliateDelta, int endpointDelta) {
    }

    /** A cluster left memory because nothing kept it (no affiliates, no watchers): what garbage collection counts. */
    default void clusterForgotten(String clusterId) {
    }

    /**
     * A cluster left memory with its state intact: its partition was handed over, or it is being reloaded. Not
     * garbage collection; the default treats it as {@link #clusterForgotten} for listeners that need no difference.
     */
    default void clusterReleased(String clusterId) {
        clusterForgotten(clusterId);
    }

    default void watchersChanged(int delta) {
    }

    default void journalFailed(Throwable cause) {
    }

    /** One cluster's group commit handed {@code changes} changes ({@code events} events) to the journal in one call. */
    default void batchJournaled(int changes, int events) {
    }

    /** A change was refused because its cluster's queue was full. */
    default void queueRefused() {
    }

    /** A queued change was dropped before the log because its caller was gone ({@link DroppedException#reason}). */
    default void commandDropped(String reason) {
    }

    /** Tells every listener, in order. */
    static StateListener all(StateListener... listeners) {
        return new StateListener() {
            @Override
            public void applied(Event event, LogPosition position, int affiliateDelta, int endpointDelta) {
                for (StateListener l : listeners) {
                    l.applied(event, position, affiliateDelta, endpointDelta);
                }
            }

            @Override
            public void clusterCreated(String clusterId) {
                for (StateListener l : listeners) {
                    l.clusterCreated(clusterId);
                }
            }

            @Override
            public void affiliatesMoved(int affiliateDelta, int endpointDelta) {
                for (StateListener l : listeners) {
                    l.affiliatesMoved(affiliateDelta, endpointDelta);
                }
            }

            @Override
            public void clusterForgotten(String clusterId) {
                for (StateListener l : listeners) {
                    l.clusterForgotten(clusterId);
                }
            }

            @Override
            public void clusterReleased(String clusterId) {
                for (StateListener l : listeners) {
                    l.clusterReleased(clusterId);
                }
            }

            @Override
            public void watchersChanged(int delta) {
                for (StateListener l : listeners) {
                    l.watchersChanged(delta);
                }
            }

            @Override
            public void journalFailed(Throwable cause) {
                for (StateListener l : listeners) {
                    l.journalFailed(cause);
                }
            }

            @Override
            public void batchJournaled(int changes, int events) {
                for (StateListener l : listeners) {
                    l.batchJournaled(changes, events);
                }
            }

            @Override
            public void queueRefused() {
                for (StateListener l : listeners) {
                    l.queueRefused();
                }
            }

            @Override
            public void commandDropped(String reason) {
                for (StateListener l : listeners) {
                    l.commandDropped(reason);
                }
            }
        };
    }
}
