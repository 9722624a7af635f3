package dev.discoveryd.service.scaleout;

import dev.discoveryd.core.port.EventAppender;
import dev.discoveryd.service.state.ClusterGate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * The terms of the partitions this instance owns: which clusters the registry may hold now, and under which term.
 * Driven by the ownership thread (begin, open, end); read by request threads (admit).
 */
final class PartitionTerms implements ClusterGate {
    private final ToIntFunction<String> partitionOf;
    private final Map<Integer, PartitionTerm> terms = new ConcurrentHashMap<>();
    private final AtomicLong numbers = new AtomicLong();

    PartitionTerms(ToIntFunction<String> partitionOf) {
        this.partitionOf = partitionOf;
    }

    /** A new term of {@code partition}, loading, writing to {@code log}; ends the one before, if any. */
    PartitionTerm begin(int partition, EventAppender log) {
        PartitionTerm term = new PartitionTerm(numbers.incrementAndGet(), partition, log);
        PartitionTerm before = terms.put(partition, term);
        if (before != null) {
            before.end();
        }
        return term;
    }

    /** The partition's term ends (released, lost, or its take-over failed); false when it had none. */
    boolean end(int partition) {
        PartitionTerm term = terms.remove(partition);
        if (term == null) {
            return false;
        }
        term.end();
        return true;
    }

    /** The partition's term in force (loading or open), or null. */
    PartitionTerm current(int partition) {
        return terms.get(partition);
    }

    @Override
    public Term admit(String clusterId) {
        PartitionTerm term = terms.get(partitionOf.applyAsInt(clusterId));
        return term != null && term.admits() ? term : null;
    }
}
