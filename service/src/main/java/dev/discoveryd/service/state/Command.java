package dev.discoveryd.service.state;

import dev.discoveryd.core.ClusterCommand;

import java.util.concurrent.CompletableFuture;

/**
 * A change request queued on one cluster: the {@link ClusterCommand} (what is asked) and its bookkeeping. It is
 * decided with the cluster's state at its turn; the events are journaled, then applied, then {@link #done} completes.
 */
final class Command {
    /** What a queued command costs beyond its payload (the objects around it). */
    static final int OVERHEAD_BYTES = 256;

    final ClusterCommand intent;
    final Caller caller;
    /** Estimated memory held while queued. */
    final long bytes;
    /** Garbage collection: exempt from the queue bound (at most one per cluster). */
    final boolean housekeeping;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Command(ClusterCommand intent, Caller caller, long payloadBytes, boolean housekeeping) {
        this.intent = intent;
        this.caller = caller;
        this.bytes = OVERHEAD_BYTES + payloadBytes;
        this.housekeeping = housekeeping;
    }
}
