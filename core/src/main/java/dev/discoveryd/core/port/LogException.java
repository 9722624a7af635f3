package dev.discoveryd.core.port;

/** A log could not do what was asked: a write failed, the log is closed, or it is corrupt. */
public class LogException extends RuntimeException {
    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
