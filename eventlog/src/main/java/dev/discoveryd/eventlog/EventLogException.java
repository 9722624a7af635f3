package dev.discoveryd.eventlog;

/** The log could not do what was asked: a write failed, the log is closed, or it is corrupt. */
public class EventLogException extends RuntimeException {
    public EventLogException(String message) {
        super(message);
    }

    public EventLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
