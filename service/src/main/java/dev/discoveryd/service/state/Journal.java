package dev.discoveryd.service.state;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;

import java.util.concurrent.CompletableFuture;

/**
 * Where accepted changes are recorded before they are applied or acknowledged. The future completes with the record's
 * log position once it is as durable as configured, or fails when it could not be recorded.
 */
@FunctionalInterface
public interface Journal {
    /** Keeps nothing: the state lives in memory only. */
    Journal NONE = event -> CompletableFuture.completedFuture(LogPosition.START);

    CompletableFuture<LogPosition> append(Event event);
}
