package dev.discoveryd.snapshots;

import dev.discoveryd.core.port.SnapshotStore;
import dev.discoveryd.core.port.SnapshotStoreContract;

class InMemorySnapshotStoreContractTest extends SnapshotStoreContract {
    private InMemorySnapshotStore store;

    @Override
    protected SnapshotStore open() {
        store = store == null ? new InMemorySnapshotStore() : store.reopen();
        return store;
    }
}
