package dev.discoveryd.eventlog.tools;

import dev.discoveryd.eventlog.record.CheckedEvent;
import java.util.function.Consumer;

/**
 * Events of a log other than the local Chronicle queue (a partition of the replicated log), read by its own reader
 * with every record authenticated and the chain checked; what the audit tools need of it.
 */
@FunctionalInterface
public interface EventSource {
    /** Delivers every event in order; throws a RuntimeException naming the record when one is bad or unreadable. */
    void scan(Consumer<CheckedEvent> sink);

    /** {@link ExitCodes#CORRUPT} when {@code failure} says a record is bad, else {@link ExitCodes#UNUSABLE}. */
    static int exitCodeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof dev.discoveryd.eventlog.record.ChainBreakException
                    || t instanceof dev.discoveryd.eventlog.record.RecordException) {
                return ExitCodes.CORRUPT;
            }
        }
        return ExitCodes.UNUSABLE;
    }
}
