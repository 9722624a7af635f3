package dev.discoveryd.eventlog;

/** Ends the {@link LogWriter} loop after a failure that is not a bug (a failed fsync): logged without a stack trace. */
final class WriterHalt extends RuntimeException {
    WriterHalt(String message) {
        super(message, null, false, false);
    }
}
