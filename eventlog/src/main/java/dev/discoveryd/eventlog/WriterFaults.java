package dev.discoveryd.eventlog;

/**
 * Faults injected into the writer thread's own path, for tests of its supervision: each hook runs on the writer
 * thread just before the real operation and may throw whatever the real one could (an I/O error, an Error).
 */
public interface WriterFaults {
    WriterFaults NONE = new WriterFaults() {
    };

    /** Before a record is written to the queue. */
    default void beforeWrite() {
    }

    /** Before the queue is synced to disk (fsync). */
    default void beforeSync() {
    }
}
