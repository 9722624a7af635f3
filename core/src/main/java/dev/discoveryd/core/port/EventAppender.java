package dev.discoveryd.core.port;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import java.util.concurrent.CompletableFuture;

/** Records accepted changes, before they are applied or acknowledged. */
@FunctionalInterface
public interface EventAppender {
    /**
     * Appends {@code event}. Never blocks the caller. The future completes with the record's position once the record
     * is as durable as the log is configured to make it, or fails with {@link LogException} when it could not be
     * written (disk full, I/O error, closed); a failed append must not be applied, and later appends are tried
     * afresh. Futures complete in append order with increasing positions: keep callbacks short.
     */
    CompletableFuture<LogPosition> append(Event event);
}
