package dev.discoveryd.service.persistence;

import dev.discoveryd.snapshots.LoadResult;
import dev.discoveryd.snapshots.SaveResult;

/** Sees each snapshot load and save (the discovery_storage_* metrics). */
public interface StorageObserver {
    StorageObserver NONE = new StorageObserver() {
    };

    default void loaded(LoadResult result) {
    }

    default void saved(SaveResult result) {
    }
}
