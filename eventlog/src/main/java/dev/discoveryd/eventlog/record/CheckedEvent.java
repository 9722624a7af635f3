package dev.discoveryd.eventlog.record;

import dev.discoveryd.core.Event;

/** An event read from an authentic, correctly chained record; {@code storedBytes} is the record's size on disk. */
public record CheckedEvent(long index, Event event, int storedBytes) {
}
