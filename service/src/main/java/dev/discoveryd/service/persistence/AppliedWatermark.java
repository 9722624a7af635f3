package dev.discoveryd.service.persistence;

import dev.discoveryd.core.Event;
import dev.discoveryd.service.state.Journal;
import dev.discoveryd.service.state.StateListener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Knows up to which log index every event has been applied to the live view. An event is logged first and applied a
 * moment later; a snapshot may only claim to cover index X when no event at or below X is still waiting to be applied.
 */
final class AppliedWatermark implements StateListener {
    private final ConcurrentSkipListSet<Long> logged = new ConcurrentSkipListSet<>();
    private volatile long highestLogged;

    AppliedWatermark(long recoveredIndex) {
        this.highestLogged = recoveredIndex;
    }

    /** Wraps the log: each index is noted (on the log's thread, in log order) before anyone can apply it. */
    Journal track(Journal log) {
        return event -> {
            CompletableFuture<Long> written = log.append(event);
            return written.thenApply(index -> {
                logged.add(index);
                highestLogged = index;
                return index;
            });
        };
    }

    @Override
    public void applied(Event event, long index, int affiliateDelta, int endpointDelta) {
        logged.remove(index);
    }

    /** The highest index X such that every event at or below X is in the live view. */
    long appliedUpTo() {
        long high = highestLogged; // read first: everything at or below it has been noted already
        Long oldestPending = logged.ceiling(Long.MIN_VALUE);
        return oldestPending == null ? high : Math.min(high, oldestPending - 1);
    }
}
