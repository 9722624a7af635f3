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

    /**
     * True when this journal completes its futures on a thread of its own that may go straight on with the cluster's
     * next step (apply, answer, decide and append the next batch), which must then never block that thread: no
     * hand-off to the caller's event loop and back per batch. False (the default): the work resumes on the caller's
     * {@link Caller#continuation}, as for a journal whose completing thread must not run foreign code (a Kafka
     * producer's I/O thread).
     */
    default boolean continuesOnCompletingThread() {
        return false;
    }

    /** Journals through {@code log}, batches included (a method reference would lose its {@link #appendAll}). */
    static Journal of(EventAppender log) {
        return of(log, false);
    }

    /** As {@link #of(EventAppender)}; {@code continueThere}: see {@link #continuesOnCompletingThread()}. */
    static Journal of(EventAppender log, boolean continueThere) {
        return new Journal() {
            @Override
            public CompletableFuture<LogPosition> append(Event event) {
                return log.append(event);
            }

            @Override
            public List<CompletableFuture<LogPosition>> appendAll(List<Event> events) {
                return log.appendAll(events);
            }

            @Override
            public boolean continuesOnCompletingThread() {
                return continueThere;
            }
        };
    }
}
