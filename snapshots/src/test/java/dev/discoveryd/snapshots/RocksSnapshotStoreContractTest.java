package dev.discoveryd.snapshots;

import dev.discoveryd.core.port.SnapshotStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class RocksSnapshotStoreContractTest extends SnapshotStoreContract {
    @TempDir
    Path dir;
    private final TestCipher cipher = new TestCipher();

    @Override
    protected dev.discoveryd.core.port.SnapshotStore open() throws Exception {
        return SnapshotStore.open(dir.resolve("snapshot"), cipher);
    }
}
