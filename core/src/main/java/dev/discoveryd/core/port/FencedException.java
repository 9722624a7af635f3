package dev.discoveryd.core.port;

/** An append under an owner epoch that is no longer current: another owner took the log over; nothing was written. */
public final class FencedException extends LogException {
    public FencedException(long epoch, long current) {
        super("owner epoch " + epoch + " is fenced off by epoch " + current);
    }

    /** Fenced by a newer owner this appender only learns of from the log (a replicated log's broker said so). */
    public FencedException(String message) {
        super(message);
    }
}
