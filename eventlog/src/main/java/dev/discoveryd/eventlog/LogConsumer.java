package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;

/** Receives replayed events in log order. */
@FunctionalInterface
public interface LogConsumer {
    void accept(long index, Event event);
}
