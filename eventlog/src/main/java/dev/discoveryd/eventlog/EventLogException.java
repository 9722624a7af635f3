package dev.discoveryd.eventlog;

import dev.discoveryd.core.port.LogException;

/** The Chronicle log could not do what was asked: a write failed, the log is closed, or it is corrupt. */
public class EventLogException extends LogException {
    public EventLogException(String message) {
        super(message);
    }

    public EventLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
