package dev.discoveryd.service.state;

/**
 * One watcher of a cluster. Called with the cluster's lock held, so it must never block: it hands the message to the
 * watcher's own thread and ends the watcher (lost update) when it is too far behind.
 */
public interface WatchSink {
    /** A serialized WatchResponse; the same array goes to every watcher and must not be modified. */
    void send(byte[] message);

    /** The service is stopping or the cluster was dropped: end the stream. */
    void close(String reason);
}
