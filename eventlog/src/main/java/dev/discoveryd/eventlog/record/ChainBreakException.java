package dev.discoveryd.eventlog.record;

/** The log is corrupt or was tampered with; {@link #index()} is the first bad record. */
public final class ChainBreakException extends RuntimeException {
    private final long index;
    private final String reason;

    public ChainBreakException(long index, String reason) {
        super("record " + index + ": " + reason);
        this.index = index;
        this.reason = reason;
    }

    public long index() {
        return index;
    }

    public String reason() {
        return reason;
    }
}
