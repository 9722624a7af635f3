package dev.discoveryd.eventlog;

/**
 * When appended records are forced to disk ({@code --log-sync}). In every mode a record is in the memory-mapped file
 * before its append completes, so a process crash (kill -9) loses no acknowledged change; the modes differ only for
 * power loss or a kernel crash.
 */
public enum SyncPolicy {
    /** The append completes after the batch holding it was synced (group commit: one sync serves many appends). */
    ALWAYS,
    /** Appends complete at once; the writer syncs every sync interval while there are unsynced records. */
    PERIODIC,
    /** Appends complete at once; the operating system writes back when it chooses. */
    NEVER
}
