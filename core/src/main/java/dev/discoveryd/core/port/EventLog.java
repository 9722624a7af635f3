package dev.discoveryd.core.port;

/**
 * The append-only log of accepted changes, in all its roles. The view is a pure fold of its events, so replaying it
 * rebuilds exactly the state that was served.
 */
public interface EventLog extends EventAppender, EventReader, LogRetention, AutoCloseable {
    /** Waits for pending appends, syncs, and releases files. Appends after close fail. */
    @Override
    void close();
}
