package dev.discoveryd.service.state;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Event;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A change request queued on one cluster. {@link #decision} runs with the cluster's state at its turn; the events it
 * returns are journaled, then applied, then {@link #done} completes.
 */
final class Command {
    /** What a queued command costs beyond its payload (the objects around it). */
    static final int OVERHEAD_BYTES = 256;

    interface Decision {
        /** The events to record, or an empty list for nothing; throws DomainException to refuse. */
        List<Event> decide(ClusterState state, Instant now);
    }

    final Decision decision;
    final Caller caller;
    /** Estimated memory held while queued. */
    final long bytes;
    /** Garbage collection: exempt from the queue bound (at most one per cluster). */
    final boolean housekeeping;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Command(Decision decision, Caller caller, long payloadBytes, boolean housekeeping) {
        this.decision = decision;
        this.caller = caller;
        this.bytes = OVERHEAD_BYTES + payloadBytes;
        this.housekeeping = housekeeping;
    }
}
