package dev.discoveryd.service;

import dev.discoveryd.service.state.NoBytesEncoder;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.service.e2e.MutableClock;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.Journal;
import dev.discoveryd.service.state.StateListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 17 item 9: a cluster whose expiry write never completes must not stop expiry for the others. */
class GarbageCollectorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicBoolean stall = new AtomicBoolean();
    private final AtomicLong index = new AtomicLong();
    /** Writes of cluster "stuck" never complete once {@link #stall} is set; the others complete at once. */
    private final Journal journal = event -> stall.get() && event.clusterId().equals("stuck")
            ? new CompletableFuture<>() : CompletableFuture.completedFuture(LogPosition.of(index.incrementAndGet()));
    private final ClusterRegistry registry = new ClusterRegistry(journal, new NoBytesEncoder(), StateListener.NONE, clock);
    private final GarbageCollector gc = new GarbageCollector(registry, () -> { });

    @AfterEach
    void close() {
        gc.close();
    }

    private void add(String cluster, String affiliate) throws Exception {
        registry.update(cluster, affiliate, new byte[]{1}, List.of(), Duration.ofMinutes(1), Runnable::run).get();
    }

    @Test
    void aStuckClusterDoesNotStopExpiryOfTheOthers() throws Exception {
        add("stuck", "s1");
        add("healthy", "h1");
        stall.set(true);

        clock.advance(Duration.ofMinutes(2));
        gc.runOnce();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.list("healthy").isEmpty());
        assertThat(registry.list("stuck")).hasSize(1); // its expiry is still being written

        add("healthy", "h2");
        clock.advance(Duration.ofMinutes(2));
        gc.runOnce();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.list("healthy").isEmpty());
    }
}
