package dev.discoveryd.service.persistence;

import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;

import java.util.function.LongSupplier;

/** Sees each snapshot load and save, and the log's syncs (the discovery_storage_* metrics). */
public interface StorageObserver {
    StorageObserver NONE = new StorageObserver() {
    };

    default void loaded(LoadResult result) {
    }

    default void saved(SaveResult result) {
    }

    /** A snapshot save threw (it is retried next interval). */
    default void saveFailed() {
    }

    /** The snapshot covers the whole log now: just saved, or nothing changed since the last save. */
    default void upToDate() {
    }

    /** A snapshot found this many clusters with changes in flight that did not settle in time (0: none). */
    default void unsettled(int clusters) {
    }

    /** The event log on disk is open; {@code syncs} counts its fsyncs from then on. */
    default void logOpened(LongSupplier syncs) {
    }

    /** The log's writer batches, the records in them and the times an append woke the idle writer, from then on. */
    default void logWriter(LongSupplier batches, LongSupplier records, LongSupplier wakeups) {
    }
}
