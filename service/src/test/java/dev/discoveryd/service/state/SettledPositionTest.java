package dev.discoveryd.service.state;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The position a snapshot records comes from the apply path: what the clusters applied, never what the log merely
 * wrote, and only once the writes in flight before it are applied.
 */
class SettledPositionTest {
    /** Journal writes the test completes by hand, in any order, with the positions it picks. */
    private final Map<String, CompletableFuture<LogPosition>> held = new ConcurrentHashMap<>();
    private final Journal journal = event -> held.computeIfAbsent(event.clusterId(), c -> new CompletableFuture<>());
    private final ChangeEncoder encoder = new NoBytesEncoder();
    private final ClusterRegistry registry = new ClusterRegistry(journal, encoder, new StateListener() { },
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final Executor direct = Runnable::run;

    private CompletableFuture<Void> update(String cluster) {
        return registry.update(cluster, "node-1", new byte[]{1}, List.of(), Duration.ofMinutes(5), direct);
    }

    @Test
    void isTheLastAppliedPositionOnceEarlierWritesAreApplied() throws Exception {
        registry.load(new View(), LogPosition.of(2L));
        assertThat(registry.settledPosition(Duration.ofSeconds(1))).isEqualTo(new ClusterRegistry.Settled(LogPosition.of(2L), 0));
        CompletableFuture<Void> b = update("b");
        CompletableFuture<Void> a = update("a");
        // a was recorded later than b but is applied first: the position must wait for b.
        held.remove("a").complete(LogPosition.of(5L));
        a.get(5, TimeUnit.SECONDS);
        // b's write is still held: the writes in flight cannot settle, so there is no position yet.
        assertThat(registry.settledPosition(Duration.ofMillis(50)).unsettled()).isEqualTo(1);
        held.remove("b").complete(LogPosition.of(3L));
        b.get(5, TimeUnit.SECONDS);
        assertThat(registry.settledPosition(Duration.ofSeconds(1))).isEqualTo(new ClusterRegistry.Settled(LogPosition.of(5L), 0));
    }

    @Test
    void aFailedWriteAddsNothingAndARetiredClusterKeepsItsPosition() throws Exception {
        CompletableFuture<Void> a = update("a");
        held.remove("a").complete(LogPosition.of(7L));
        a.get(5, TimeUnit.SECONDS);
        // Deleting the only affiliate empties the cluster, so its runtime is retired and forgotten.
        CompletableFuture<Void> gone = registry.delete("a", "node-1", direct);
        held.remove("a").complete(LogPosition.of(8L));
        gone.get(5, TimeUnit.SECONDS);
        assertThat(registry.clusterCount()).isZero();
        CompletableFuture<Void> failed = update("c");
        held.remove("c").completeExceptionally(new java.io.IOException("No space left on device"));
        assertThat(failed).isCompletedExceptionally();
        assertThat(registry.settledPosition(Duration.ofSeconds(1))).isEqualTo(new ClusterRegistry.Settled(LogPosition.of(8L), 0));
    }
}
