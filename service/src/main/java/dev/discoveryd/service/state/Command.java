package dev.discoveryd.service.state;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Event;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A change request queued on one cluster. {@link #decide} runs with the cluster's state at its turn; the events it
 * returns are journaled, then applied, then {@link #done} completes.
 */
final class Command {
    interface Decision {
        /** The events to record, or an empty list for nothing; throws DomainException to refuse. */
        List<Event> decide(ClusterState state, Instant now);
    }

    final Decision decision;
    /** Where the cluster's work continues after an asynchronous journal write. */
    final Executor continuation;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Command(Decision decision, Executor continuation) {
        this.decision = decision;
        this.continuation = continuation;
    }
}
