package dev.discoveryd.service.persistence;

import dev.discoveryd.core.Event;
import dev.discoveryd.eventlog.EventLog;
import dev.discoveryd.service.state.Journal;
import dev.discoveryd.service.state.StateListener;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds a log index X such that every event at or below X is already in the live view, so that a snapshot taken now
 * may claim to cover X. An event is logged first and applied a moment later, on another thread: each append takes a
 * ticket before it is submitted and gives it back once applied (or failed). Every event at or below the log's last
 * index was submitted before that index was read, so once all tickets taken until then are back, X = that index.
 */
final class AppliedWatermark implements StateListener {
    private static final long WAIT_NANOS = 5_000_000_000L;

    private final EventLog log;
    private final AtomicLong tickets = new AtomicLong();
    private final ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();
    private final Map<Long, Long> ticketOfIndex = new ConcurrentHashMap<>();

    AppliedWatermark(EventLog log) {
        this.log = log;
    }

    /** Wraps the log so that each append holds a ticket until its event is applied. */
    Journal track(Journal journal) {
        return event -> {
            long ticket = tickets.incrementAndGet();
            outstanding.add(ticket);
            CompletableFuture<Long> written;
            try {
                written = journal.append(event);
            } catch (RuntimeException e) {
                outstanding.remove(ticket);
                throw e;
            }
            // The returned future completes after this runs, and only then is the event applied.
            return written.whenComplete((index, error) -> {
                if (error != null) {
                    outstanding.remove(ticket);
                } else {
                    ticketOfIndex.put(index, ticket);
                }
            });
        };
    }

    @Override
    public void applied(Event event, long index, int affiliateDelta, int endpointDelta) {
        Long ticket = ticketOfIndex.remove(index);
        if (ticket != null) {
            outstanding.remove(ticket);
        }
    }

    /** An index every event up to which is applied; empty when in-flight changes did not settle within 5 s. */
    OptionalLong appliedUpTo() {
        long last = log.lastIndex();
        long issued = tickets.get();
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            Long oldest = outstanding.ceiling(Long.MIN_VALUE);
            if (oldest == null || oldest > issued) {
                return OptionalLong.of(last);
            }
            if (System.nanoTime() > deadline) {
                return OptionalLong.empty();
            }
            LockSupport.parkNanos(200_000);
        }
    }
}
