package dev.discoveryd.service.state;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults after a change was journaled (issue 17 item 9): whatever happens to the continuation, the cluster is released
 * (its queue drains, its write-in-flight ticket is cleared) and later changes go through.
 */
class StuckContinuationTest {
    /** Journal writes the test completes by hand, so the change always resumes through its continuation. */
    private final Queue<CompletableFuture<LogPosition>> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger index = new AtomicInteger();
    private final Journal journal = event -> {
        CompletableFuture<LogPosition> write = new CompletableFuture<>();
        held.add(write);
        return write;
    };
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private void writeAll() {
        for (CompletableFuture<LogPosition> w; (w = held.poll()) != null; ) {
            w.complete(LogPosition.of((long) index.incrementAndGet()));
        }
    }

    private static CompletableFuture<Void> update(ClusterRegistry registry, String affiliate, Executor continuation) {
        return registry.update("c", affiliate, new byte[]{1}, List.of(), Duration.ofMinutes(5), continuation);
    }

    @Test
    void aContinuationTheLoopRejectsFinishesInline() {
        ClusterRegistry registry = new ClusterRegistry(journal, new NoBytesEncoder(), StateListener.NONE, clock);
        Executor closingLoop = task -> {
            throw new RejectedExecutionException("event loop is shutting down");
        };
        CompletableFuture<Void> first = update(registry, "a", closingLoop);
        CompletableFuture<Void> second = update(registry, "b", Runnable::run); // queued behind the first
        writeAll();
        assertThat(first).succeedsWithin(Duration.ofSeconds(5));
        writeAll();
        assertThat(second).succeedsWithin(Duration.ofSeconds(5));
        assertThat(registry.list("c")).hasSize(2);
        assertThat(registry.awaitWritesStartedBefore(Duration.ofMillis(50))).isZero();
    }

    @Test
    void aContinuationThatThrowsStillReleasesTheCluster() {
        AtomicInteger faults = new AtomicInteger(1);
        StateListener brokenOnce = new StateListener() {
            @Override
            public void applied(Event event, LogPosition position, int affiliateDelta, int endpointDelta) {
                if (faults.getAndDecrement() > 0) {
                    throw new IllegalStateException("injected fault while applying");
                }
            }
        };
        ClusterRegistry registry = new ClusterRegistry(journal, new NoBytesEncoder(), brokenOnce, clock);
        CompletableFuture<Void> first = update(registry, "a", Runnable::run);
        CompletableFuture<Void> second = update(registry, "b", Runnable::run);
        writeAll();
        assertThat(first).succeedsWithin(Duration.ofSeconds(5)); // journaled and in memory: only the listener failed
        writeAll();
        assertThat(second).succeedsWithin(Duration.ofSeconds(5));
        assertThat(registry.awaitWritesStartedBefore(Duration.ofMillis(50))).isZero();
        // The journaled change is in memory too: the log and the state agree.
        assertThat(registry.list("c")).hasSize(2);
    }

    @Test
    void aWatcherThatThrowsIsEndedAloneAndTheClusterGoesOn() {
        ClusterRegistry registry = new ClusterRegistry(journal, new NoBytesEncoder(), StateListener.NONE, clock);
        List<String> healthy = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger sends = new AtomicInteger();
        registry.watch("c", new WatchSink() {
            @Override
            public void send(byte[] message) {
                if (sends.incrementAndGet() > 1) { // the snapshot goes through, the first change does not
                    throw new IllegalStateException("injected broken watcher");
                }
            }

            @Override
            public void close(String reason) {
                closed.add(reason);
            }
        });
        registry.watch("c", new WatchSink() {
            @Override
            public void send(byte[] message) {
                healthy.add("message");
            }

            @Override
            public void close(String reason) {
            }
        });
        CompletableFuture<Void> first = update(registry, "a", Runnable::run);
        writeAll();
        assertThat(first).succeedsWithin(Duration.ofSeconds(5));
        CompletableFuture<Void> second = update(registry, "b", Runnable::run);
        writeAll();
        assertThat(second).succeedsWithin(Duration.ofSeconds(5));
        assertThat(closed).containsExactly("internal error");
        assertThat(healthy).hasSize(3); // snapshot and both changes
        assertThat(sends).hasValue(2); // ended after its failure: not called again
    }
}
