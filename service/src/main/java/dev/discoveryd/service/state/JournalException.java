package dev.discoveryd.service.state;

/** A change could not be recorded, so it was not applied; the caller may retry later. */
public final class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
