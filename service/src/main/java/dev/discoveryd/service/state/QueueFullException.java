package dev.discoveryd.service.state;

/** A cluster already has as many changes waiting for the log as its queue holds; nothing changed, retry later. */
public final class QueueFullException extends RuntimeException {
    QueueFullException(String message) {
        super(message, null, false, false);
    }
}
