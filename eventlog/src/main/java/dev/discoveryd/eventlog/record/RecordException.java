package dev.discoveryd.eventlog.record;

/** One record's bytes are unreadable: malformed, failed authentication, or sealed under an unknown key. */
public final class RecordException extends RuntimeException {
    public RecordException(String message) {
        super(message);
    }
}
