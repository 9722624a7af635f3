package dev.discoveryd.service.state;

/** A queued change was dropped before it reached the log because its caller stopped waiting; nothing changed. */
public final class DroppedException extends RuntimeException {
    public static final String DEADLINE = "deadline";
    public static final String CANCELLED = "cancelled";

    private final String reason;

    DroppedException(String reason) {
        super(DEADLINE.equals(reason) ? "deadline passed before the change was stored; nothing changed"
                : "call cancelled before the change was stored; nothing changed", null, false, false);
        this.reason = reason;
    }

    /** {@link #DEADLINE} or {@link #CANCELLED}. */
    public String reason() {
        return reason;
    }
}
