package dev.discoveryd.snapshots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotWriterTest {
    @TempDir
    Path tmp;

    @Test
    void savesRunInOrderOnTheWriterThreadAndFailuresReachTheCaller() throws IOException {
        try (SnapshotStore store = SnapshotStore.open(tmp.resolve("s"), new TestCipher())) {
            store.load();
            try (SnapshotWriter writer = new SnapshotWriter(store)) {
                assertThatThrownBy(() -> writer.save(Fixtures.at(1), List.of(), List.of()).join())
                        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class);
                var first = writer.replace(Fixtures.at(1), Fixtures.clusters(3, 1, "a"));
                var second = writer.save(Fixtures.at(2), List.of(), List.of("cluster-0"));
                var thread = writer.save(Fixtures.at(3), List.of(), List.of()).thenApply(r -> Thread.currentThread().getName());
                assertThat(thread.join()).isEqualTo("snapshot-writer");
                assertThat(first.join().stats().clusters()).isEqualTo(3);
                assertThat(second.join().stats().clusters()).isEqualTo(2);
                assertThatThrownBy(() -> writer.save(Fixtures.at(2), List.of(), List.of()).join())
                        .hasCauseInstanceOf(IllegalArgumentException.class);
            }
            assertThat(store.covered()).hasValue(Fixtures.at(3));
        }
    }

    @Test
    void dirtyClustersDrainOnce() {
        DirtyClusters dirty = new DirtyClusters();
        dirty.mark("a");
        dirty.mark("b");
        dirty.mark("a");
        assertThat(dirty.drain()).containsExactlyInAnyOrder("a", "b");
        assertThat(dirty.drain()).isEmpty();
        dirty.markAll(Set.of("c"));
        assertThat(dirty.size()).isEqualTo(1);
    }
}
