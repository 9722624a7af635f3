package dev.discoveryd.eventlog.tools;

/** Exit codes shared by the log tools. */
public final class ExitCodes {
    /** Done; the log is intact. */
    public static final int OK = 0;
    /** The log is corrupt or was tampered with; the output names the first bad record. */
    public static final int CORRUPT = 1;
    /** The log could not be read at all (no log there, or a key is missing). */
    public static final int UNUSABLE = 2;

    private ExitCodes() {
    }
}
