package dev.discoveryd.service.state;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a snapshot relies on to claim a log index: {@link ClusterRegistry#awaitWritesStartedBefore} returns only once
 * every write handed to the journal before the call is applied, and does not wait for writes that started after it.
 */
class WritesInFlightTest {
    /** Journal writes the test completes by hand, in any order. */
    private final Map<String, CompletableFuture<LogPosition>> held = new ConcurrentHashMap<>();
    private final Journal journal = event -> held.computeIfAbsent(event.clusterId(), c -> new CompletableFuture<>());
    private final ChangeEncoder encoder = new NoBytesEncoder();
    private final ClusterRegistry registry = new ClusterRegistry(journal, encoder, new StateListener() { },
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final Executor direct = Runnable::run;
    private final ExecutorService waiter = Executors.newSingleThreadExecutor();

    private CompletableFuture<Void> update(String cluster) {
        return registry.update(cluster, "node-1", new byte[]{1}, List.of(), Duration.ofMinutes(5), direct);
    }

    @Test
    void waitsForEveryWriteStartedBeforeUntilItIsApplied() throws Exception {
        CompletableFuture<Void> a = update("a");
        CompletableFuture<Void> b = update("b");
        Future<Boolean> settled = waiter.submit(() -> registry.awaitWritesStartedBefore(Duration.ofSeconds(10)) == 0);

        held.remove("b").complete(LogPosition.of(2L));
        assertThat(b).succeedsWithin(Duration.ofSeconds(1));
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(settled).isNotDone(); // a is written out of order, later, and not applied yet

        update("c"); // started after the call: not waited for
        held.remove("a").complete(LogPosition.of(1L));
        assertThat(a).succeedsWithin(Duration.ofSeconds(1));
        assertThat(settled.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.list("a")).hasSize(1);
        assertThat(held).containsOnlyKeys("c");
    }

    @Test
    void aFailedWriteAlsoSettles() throws Exception {
        CompletableFuture<Void> a = update("a");
        Future<Boolean> settled = waiter.submit(() -> registry.awaitWritesStartedBefore(Duration.ofSeconds(10)) == 0);
        held.remove("a").completeExceptionally(new java.io.IOException("No space left on device"));
        assertThat(a).failsWithin(Duration.ofSeconds(1));
        assertThat(settled.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.list("a")).isEmpty();
    }

    @Test
    void givesUpWhenAWriteDoesNotSettleInTime() {
        update("a");
        assertThat(registry.awaitWritesStartedBefore(Duration.ofMillis(50))).isEqualTo(1);
    }
}
