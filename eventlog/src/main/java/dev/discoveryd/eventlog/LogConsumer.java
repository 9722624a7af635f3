package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;

/** Receives the Chronicle log's records in log order, with their Chronicle index (the writer, the tools). */
@FunctionalInterface
public interface LogConsumer {
    void accept(long index, Event event);
}
