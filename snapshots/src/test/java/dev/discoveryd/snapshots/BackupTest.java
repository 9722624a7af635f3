package dev.discoveryd.snapshots;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import static dev.discoveryd.snapshots.Fixtures.affiliate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupTest {
    private static final int CLUSTERS = 20;
    private static final int ROUNDS = 80;

    @TempDir
    Path tmp;
    private final TestCipher cipher = new TestCipher();

    /** Every cluster's affiliates carry the round that wrote them; save i covers index i. */
    private static List<ClusterState> round(int i) {
        List<ClusterState> clusters = new ArrayList<>();
        for (int c = 0; c < CLUSTERS; c++) {
            clusters.add(Fixtures.cluster("cluster-" + c, affiliate("a", "round-" + i, i, "ep"),
                    affiliate("b", "round-" + i, i)));
        }
        return clusters;
    }

    @Test
    void backupsTakenWhileSavingAreConsistentAndRestore() throws Exception {
        Path dir = tmp.resolve("snapshot");
        List<Path> backups = new ArrayList<>();
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            store.load();
            try (SnapshotWriter writer = new SnapshotWriter(store)) {
                writer.replace(Fixtures.at(0), round(0)).join();
                List<CompletableFuture<SaveResult>> saves = new ArrayList<>();
                for (int i = 1; i <= ROUNDS; i++) {
                    saves.add(writer.save(Fixtures.at(i), round(i), List.of()));
                }
                while (!saves.get(saves.size() - 1).isDone()) {
                    Path to = tmp.resolve("backup-" + backups.size());
                    store.checkpoint(to);
                    backups.add(to);
                }
                Path last = tmp.resolve("backup-last");
                backups.add(writer.checkpoint(last).join());
                assertThat(saves.get(ROUNDS - 1).join().covered().offset(0)).isEqualTo(ROUNDS);
            }
        }

        assertThat(backups).hasSizeGreaterThan(1);
        Set<Long> indexes = new TreeSet<>();
        for (Path backup : backups) {
            LoadResult.Loaded loaded = (LoadResult.Loaded) SnapshotBackup.read(backup, cipher);
            indexes.add(loaded.covered().offset(0));
            assertThat(loaded.view().clusterCount()).isEqualTo(CLUSTERS);
            for (ClusterState cluster : loaded.view().clusters()) {
                for (Affiliate a : cluster.affiliates()) {
                    assertThat(new String(a.data(), StandardCharsets.UTF_8)).as("backup %s", backup)
                            .isEqualTo("round-" + loaded.covered().offset(0));
                }
            }
        }

        assertThat(indexes).contains((long) ROUNDS);
        System.out.println("backups at indexes " + indexes);
        Path chosen = backups.get(backups.size() / 2);
        long index = ((LoadResult.Loaded) SnapshotBackup.read(chosen, cipher)).covered().offset(0);
        assertThat(SnapshotBackup.restore(chosen, dir, cipher).covered().offset(0)).isEqualTo(index);
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            LoadResult.Loaded restored = (LoadResult.Loaded) store.load();
            assertThat(restored.covered().offset(0)).isEqualTo(index);
            assertThat(restored.view()).isEqualTo(Fixtures.view(round((int) index)));
        }
        assertThat(tmp.resolve("snapshot.previous")).isDirectory();
    }

    @Test
    void anUnreadableBackupIsRefusedAndLeavesTheSnapshotAlone() throws IOException {
        Path dir = tmp.resolve("snapshot");
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            store.load();
            store.replace(Fixtures.at(3), round(3));
            store.checkpoint(tmp.resolve("backup"));
        }
        Path empty = Files.createDirectory(tmp.resolve("empty"));

        assertThatThrownBy(() -> SnapshotBackup.restore(empty, dir, cipher)).isInstanceOf(IOException.class)
                .hasMessageContaining("no snapshot");
        assertThatThrownBy(() -> SnapshotBackup.restore(tmp.resolve("backup"), dir, new TestCipher()))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot be restored");
        assertThatThrownBy(() -> SnapshotBackup.restore(tmp.resolve("absent"), dir, cipher))
                .isInstanceOf(IOException.class);

        assertThat(tmp.resolve("snapshot.restoring")).doesNotExist();
        assertThat(SnapshotBackup.read(dir, cipher)).isInstanceOf(LoadResult.Loaded.class);
    }
}
