package dev.discoveryd.service.state;

/**
 * Whether this instance may hold and change a cluster now, and under which ownership term. With many instances a
 * cluster's partition comes and goes; every stint is a new {@link Term}, and work that began in one term is never
 * carried into the next: its runtime, its journal and its watchers end with it. One instance has one endless term.
 */
@FunctionalInterface
public interface ClusterGate {
    /** The term {@code clusterId} is served under here now, or null when it is not served here (create nothing). */
    Term admit(String clusterId);

    /** One stint of serving a set of clusters. */
    interface Term {
        /** False once the term ended (its partition was released); a later stint is another term. */
        boolean current();

        /** Where this term's changes are recorded; refuses them once the term ended. */
        Journal journal();
    }

    /** Every cluster, one term that never ends, journaled to {@code journal}: a single instance. */
    static ClusterGate always(Journal journal) {
        Term only = new Term() {
            @Override
            public boolean current() {
                return true;
            }

            @Override
            public Journal journal() {
                return journal;
            }
        };
        return clusterId -> only;
    }
}
