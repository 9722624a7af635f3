package dev.discoveryd.service.scaleout;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.core.port.LogException;
import dev.discoveryd.kafka.PartitionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a partition's clusters for its new owner: the latest snapshot this instance has of it, then the partition
 * after the offset that snapshot covers, to the end; the whole partition (from the start of retention) when there is
 * no usable snapshot. Blocking; runs on the ownership thread before the partition is served.
 */
final class PartitionCatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionCatchUp.class);

    /**
     * A caught-up partition.
     *
     * @param view         its clusters, holding every event up to {@code last}
     * @param last         the position of the last event in the view (START: none)
     * @param replayed     events read from Kafka (after the snapshot, if any)
     * @param fromSnapshot whether a snapshot was the starting point
     */
    record Result(View view, LogPosition last, long replayed, boolean fromSnapshot) {
    }

    private PartitionCatchUp() {
    }

    /** {@code snapshots}: null when this instance keeps none. */
    static Result run(PartitionLog partition, PartitionSnapshots snapshots) {
        int p = partition.partition();
        PartitionSnapshots.Start start = snapshots == null ? PartitionSnapshots.Start.none() : snapshots.load(p);
        if (start.fromSnapshot()) {
            long covered = start.covered().offset(p);
            long end = partition.endOffset();
            if (covered == LogPosition.NONE_OFFSET || covered >= end) {
                // Written against another life of the topic (deleted and created again): it says nothing about this one.
                LOG.warn("Partition {}: the snapshot here covers offset {} but the partition ends at {}; replaying"
                        + " the whole partition", p, covered, end);
            } else {
                try {
                    return replay(partition, start);
                } catch (LogException e) {
                    LOG.warn("Partition {}: cannot continue after the snapshot's offset {} ({}); replaying the whole"
                            + " partition", p, covered, e.getMessage());
                }
            }
        }
        return replay(partition, PartitionSnapshots.Start.none());
    }

    private static Result replay(PartitionLog partition, PartitionSnapshots.Start start) {
        View view = start.view();
        LogPosition[] last = {start.covered()};
        long[] events = {0};
        partition.replay(start.covered(), (position, event) -> {
            view.evolve(event);
            last[0] = position;
            events[0]++;
        });
        return new Result(view, last[0], events[0], start.fromSnapshot());
    }
}
