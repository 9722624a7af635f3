package dev.discoveryd.core.port;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Appends {@code events} in order as one call (group commit: a log may write them together and make them durable
     * with one sync). Never blocks the caller. Returns one future per event, in order, with the guarantees of
     * {@link #append}, and one more: once a future fails, every later future of the same call fails too, so the events
     * acknowledged are always a prefix of the call. An event whose future failed may still be in the log (as for a
     * failed {@link #append}); it must not be applied.
     *
     * <p>The default appends one event after the other and chains the futures; a log that can write a batch at once
     * should override it, and so must a log that completes appends on a thread of its own: a chained future is
     * completed by whichever thread notices its turn has come, possibly after a later call's first future.
     */
    default List<CompletableFuture<LogPosition>> appendAll(List<Event> events) {
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>(events.size());
        CompletableFuture<LogPosition> previous = null;
        for (Event event : events) {
            CompletableFuture<LogPosition> own;
            if (previous != null && previous.isCompletedExceptionally()) {
                own = previous; // refused at once: the rest of the call is not tried
            } else {
                try {
                    own = append(event);
                } catch (RuntimeException e) {
                    own = CompletableFuture.failedFuture(e);
                }
            }
            CompletableFuture<LogPosition> landed = own;
            CompletableFuture<LogPosition> chained = previous == null ? own : previous.thenCompose(p -> landed);
            futures.add(chained);
            previous = chained;
        }
        return futures;
    }
}
