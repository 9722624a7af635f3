package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An event log in memory, for tests and for running without a data directory. Indexes are 0, 1, 2, ...; appends
 * complete at once; {@link #retainFrom} drops the events before the index. Thread-safe.
 */
public final class InMemoryEventLog implements EventLog {
    private final List<Event> events = new ArrayList<>();
    private long firstIndex;
    private boolean closed;

    @Override
    public synchronized CompletableFuture<Long> append(Event event) {
        if (closed) {
            return CompletableFuture.failedFuture(new EventLogException("event log is closed"));
        }
        events.add(event);
        return CompletableFuture.completedFuture(firstIndex + events.size() - 1);
    }

    @Override
    public void replay(long afterIndex, LogConsumer consumer) {
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
                consumer.accept(index, copy.get(i));
            }
        }
    }

    @Override
    public synchronized long lastIndex() {
        return events.isEmpty() && firstIndex == 0 ? NO_INDEX : firstIndex + events.size() - 1;
    }

    @Override
    public synchronized void retainFrom(long oldestNeededIndex) {
        long drop = Math.min(oldestNeededIndex - firstIndex, events.size());
        if (drop > 0) {
            events.subList(0, (int) drop).clear();
            firstIndex += drop;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
