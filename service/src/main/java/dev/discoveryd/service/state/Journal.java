package dev.discoveryd.service.state;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.EventAppender;

import java.util.concurrent.CompletableFuture;

/**
 * Where accepted changes are recorded before they are applied or acknowledged: the log's append role
 * ({@link EventAppender}, contract kit {@code JournalContract}), or nothing at all.
 */
@FunctionalInterface
public interface Journal extends EventAppender {
    /** Keeps nothing: the state lives in memory only. */
    Journal NONE = event -> CompletableFuture.completedFuture(LogPosition.START);
}
