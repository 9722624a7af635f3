package dev.discoveryd.core.port;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;

/** Receives events read from a log, in log order, with the position each one moves the reader to. */
@FunctionalInterface
public interface LogConsumer {
    void accept(LogPosition position, Event event);
}
