package dev.discoveryd.service.scaleout;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.EventAppender;
import dev.discoveryd.core.port.LogException;
import dev.discoveryd.service.state.ClusterGate;
import dev.discoveryd.service.state.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One stint of this instance owning a partition: numbered, bound to the partition log it claimed (under that claim's
 * epoch), and over for good once released. Loading (replaying) it admits no new cluster; open, it does; ended, its
 * journal refuses everything, so work begun in it never lands in a later stint of the same partition.
 */
final class PartitionTerm implements ClusterGate.Term {
    enum Phase { LOADING, OPEN, ENDED }

    private final long number;
    private final int partition;
    private final Journal journal;
    private volatile Phase phase = Phase.LOADING;

    /** {@code log}: the partition log this term claimed (its own object, so its owner epoch is this claim's). */
    PartitionTerm(long number, int partition, EventAppender log) {
        this.number = number;
        this.partition = partition;
        // A write that passes the check before the end goes to this term's own claim: Kafka takes it before the
        // hand-over completes, or the closed or fenced log refuses it. It can never reach a later term's log.
        this.journal = new Journal() {
            @Override
            public CompletableFuture<LogPosition> append(Event event) {
                return phase == Phase.ENDED ? CompletableFuture.failedFuture(ended()) : log.append(event);
            }

            @Override
            public List<CompletableFuture<LogPosition>> appendAll(List<Event> events) {
                if (phase != Phase.ENDED) {
                    return log.appendAll(events);
                }
                List<CompletableFuture<LogPosition>> refused = new ArrayList<>(events.size());
                for (int i = 0; i < events.size(); i++) {
                    refused.add(CompletableFuture.failedFuture(ended()));
                }
                return refused;
            }
        };
    }

    private LogException ended() {
        return new LogException("partition " + partition + " term " + number
                + " ended: the cluster moved to another discoveryd instance");
    }

    long number() {
        return number;
    }

    int partition() {
        return partition;
    }

    Phase phase() {
        return phase;
    }

    boolean admits() {
        return phase == Phase.OPEN;
    }

    void open() {
        if (phase == Phase.LOADING) {
            phase = Phase.OPEN;
        }
    }

    void end() {
        phase = Phase.ENDED;
    }

    @Override
    public boolean current() {
        return phase != Phase.ENDED;
    }

    @Override
    public Journal journal() {
        return journal;
    }

    @Override
    public String toString() {
        return "partition " + partition + " term " + number + " (" + phase + ")";
    }
}
