package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.EventLog;
import dev.discoveryd.core.port.FencedAppender;
import dev.discoveryd.core.port.FencedException;
import dev.discoveryd.core.port.LogConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An event log in memory, for tests and for running without a data directory. Positions are one partition at 0, 1,
 * 2, ...; appends complete at once; {@link #retainFrom} drops the events before the position. Fenced: appends under
 * an owner epoch older than the latest claimed fail (a model of a shared log for tests). Thread-safe.
 */
public final class InMemoryEventLog implements EventLog, FencedAppender {
    private final List<Event> events = new ArrayList<>();
    private long firstIndex;
    private long ownerEpoch;
    private boolean closed;

    @Override
    public synchronized CompletableFuture<LogPosition> append(Event event) {
        if (closed) {
            return CompletableFuture.failedFuture(new EventLogException("event log is closed"));
        }
        events.add(event);
        return CompletableFuture.completedFuture(LogPosition.of(firstIndex + events.size() - 1));
    }

    /** All at once, under one lock: nothing of another caller comes in between. */
    @Override
    public synchronized List<CompletableFuture<LogPosition>> appendAll(List<Event> batch) {
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>(batch.size());
        for (Event event : batch) {
            futures.add(append(event));
        }
        return futures;
    }

    @Override
    public synchronized long claimOwnership() {
        return ++ownerEpoch;
    }

    @Override
    public synchronized CompletableFuture<LogPosition> append(long epoch, Event event) {
        if (epoch != ownerEpoch) {
            return CompletableFuture.failedFuture(new FencedException(epoch, ownerEpoch));
        }
        return append(event);
    }

    @Override
    public void replay(LogPosition after, LogConsumer consumer) {
        long afterIndex = offset(after);
        List<Event> copy;
        long first;
        synchronized (this) {
            if (closed) {
                throw new EventLogException("event log is closed");
            }
            copy = new ArrayList<>(events);
            first = firstIndex;
        }
        for (int i = 0; i < copy.size(); i++) {
            long index = first + i;
            if (index > afterIndex) {
                consumer.accept(LogPosition.of(index), copy.get(i));
            }
        }
    }

    @Override
    public synchronized LogPosition end() {
        return events.isEmpty() && firstIndex == 0 ? LogPosition.START : LogPosition.of(firstIndex + events.size() - 1);
    }

    @Override
    public synchronized void retainFrom(LogPosition oldestNeeded) {
        long drop = Math.min(offset(oldestNeeded) - firstIndex, events.size());
        if (drop > 0) {
            events.subList(0, (int) drop).clear();
            firstIndex += drop;
        }
    }

    private static long offset(LogPosition position) {
        if (position.partitions() > 1) {
            throw new IllegalArgumentException("position " + position + " is not of a one-partition log");
        }
        return position.offset(0);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
