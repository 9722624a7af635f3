package dev.discoveryd.snapshots;

import dev.discoveryd.core.port.SnapshotStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store's contract when every save streams a new generation of table files instead of one WriteBatch. */
class StreamedSnapshotStoreContractTest extends SnapshotStoreContract {
    @TempDir
    Path dir;
    private final TestCipher cipher = new TestCipher();

    @Override
    protected dev.discoveryd.core.port.SnapshotStore open() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir.resolve("snapshot"), cipher);
        store.batchLimit(0);
        return store;
    }
}
