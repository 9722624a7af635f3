package dev.discoveryd.core.port;

/** A reader that follows a log: each poll delivers what was written since the previous one. */
public interface LogTail extends AutoCloseable {
    /** Calls {@code consumer} with every event after the tail's position, in order; returns how many. Blocks. */
    int poll(LogConsumer consumer);

    /** Stops following; the tail polls nothing afterwards. */
    @Override
    void close();
}
