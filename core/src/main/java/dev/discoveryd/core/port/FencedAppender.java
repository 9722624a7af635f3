package dev.discoveryd.core.port;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import java.util.concurrent.CompletableFuture;

/**
 * An appender shared by several would-be owners (instances of the service over one replicated log), of which only
 * the latest may write: taking ownership fences every earlier owner off, so a paused old owner that wakes up cannot
 * write behind the new one's back. A local log owned by one process through a file lock needs none of this.
 */
public interface FencedAppender extends EventAppender {
    /** Becomes the owner: returns an epoch greater than every one handed out before, fencing their appends off. */
    long claimOwnership();

    /**
     * {@link #append(Event)}, but only while {@code ownerEpoch} is the latest claimed: otherwise the future fails with
     * {@link FencedException} and nothing is written.
     */
    CompletableFuture<LogPosition> append(long ownerEpoch, Event event);
}
