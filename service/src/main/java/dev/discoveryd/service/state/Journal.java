package dev.discoveryd.service.state;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.EventAppender;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted changes are recorded before they are applied or acknowledged: the log's append role
 * ({@link EventAppender}, contract kit {@code JournalContract}), or nothing at all.
 */
@FunctionalInterface
public interface Journal extends EventAppender {
    /** Keeps nothing: the state lives in memory only. */
    Journal NONE = event -> CompletableFuture.completedFuture(LogPosition.START);

    /** Journals through {@code log}, batches included (a method reference would lose its {@link #appendAll}). */
    static Journal of(EventAppender log) {
        return new Journal() {
            @Override
            public CompletableFuture<LogPosition> append(Event event) {
                return log.append(event);
            }

            @Override
            public List<CompletableFuture<LogPosition>> appendAll(List<Event> events) {
                return log.appendAll(events);
            }
        };
    }
}
