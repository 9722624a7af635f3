package dev.discoveryd.service.state;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Who waits for a change: where its cluster's work continues after an asynchronous journal write, and until when the
 * answer is still wanted. A change whose caller is gone (deadline passed, call cancelled) before it reaches the log is
 * dropped instead of journaled.
 *
 * @param continuation where the cluster's work resumes after the journal write (the caller's event loop)
 * @param deadline     when the caller stops waiting, by the registry's clock; null for never
 * @param cancelled    true once the caller gave up (the stream was reset)
 */
public record Caller(Executor continuation, Instant deadline, BooleanSupplier cancelled) {
    private static final BooleanSupplier NEVER = () -> false;

    public Caller {
        Objects.requireNonNull(continuation, "continuation");
        Objects.requireNonNull(cancelled, "cancelled");
    }

    /** A caller that waits as long as it takes (background work, tests). */
    public static Caller patient(Executor continuation) {
        return new Caller(continuation, null, NEVER);
    }

    /** Why the answer is no longer wanted at {@code now}, or null while it is. */
    String gone(Instant now) {
        if (cancelled.getAsBoolean()) {
            return DroppedException.CANCELLED;
        }
        if (deadline != null && !now.isBefore(deadline)) {
            return DroppedException.DEADLINE;
        }
        return null;
    }
}
