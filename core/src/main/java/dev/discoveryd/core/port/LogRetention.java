package dev.discoveryd.core.port;

import dev.discoveryd.core.LogPosition;

/** Lets a log drop what no longer needs replaying. */
public interface LogRetention {
    /**
     * Tells the log that records before {@code oldestNeeded} are no longer needed to rebuild the view (a durable
     * snapshot holds them). Until called, nothing is dropped; records at or after it are always kept. When the log
     * drops the others is its own policy (whole files past a retention period, at once).
     */
    void retainFrom(LogPosition oldestNeeded);
}
