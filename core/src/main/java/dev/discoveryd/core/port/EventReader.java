package dev.discoveryd.core.port;

import dev.discoveryd.core.LogPosition;

/** Reads a log from a position: once (start-up replay) or continuously (a tail). */
public interface EventReader {
    /**
     * Calls {@code consumer} with every event after {@code after} ({@link LogPosition#START} for all), in log order,
     * and returns when done. Blocks the caller. Fails with {@link LogException} when the log is corrupt or closed.
     */
    void replay(LogPosition after, LogConsumer consumer);

    /** The position of the last record written, {@link LogPosition#START} when the log is empty. */
    LogPosition end();

    /**
     * A tail that delivers every event after {@code after}, then, poll by poll, what is appended later. This default
     * replays from the last position it delivered on each poll, which a log that seeks by position does cheaply.
     */
    default LogTail tail(LogPosition after) {
        return new ReplayTail(this, after);
    }
}
