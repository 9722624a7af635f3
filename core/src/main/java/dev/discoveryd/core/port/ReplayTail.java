package dev.discoveryd.core.port;

import dev.discoveryd.core.LogPosition;

/** A tail over {@link EventReader#replay}: each poll replays from the last position delivered. */
final class ReplayTail implements LogTail {
    private final EventReader reader;
    private LogPosition position;
    private boolean closed;

    ReplayTail(EventReader reader, LogPosition after) {
        this.reader = reader;
        this.position = after;
    }

    @Override
    public synchronized int poll(LogConsumer consumer) {
        if (closed) {
            return 0;
        }
        int[] count = {0};
        reader.replay(position, (at, event) -> {
            consumer.accept(at, event);
            position = at;
            count[0]++;
        });
        return count[0];
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
