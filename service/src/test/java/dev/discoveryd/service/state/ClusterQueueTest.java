package dev.discoveryd.service.state;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.service.e2e.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 17 item 12: while the log stalls, a cluster's queue is bounded (count and bytes) and changes whose caller has
 * gone (deadline passed, call cancelled) are dropped before they reach the log.
 */
class ClusterQueueTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** A stalled log: nothing completes until {@link #release}. */
    private final Queue<CompletableFuture<LogPosition>> held = new ConcurrentLinkedQueue<>();
    private final List<Event> journaled = new CopyOnWriteArrayList<>();
    private final Journal journal = event -> {
        journaled.add(event);
        CompletableFuture<LogPosition> write = new CompletableFuture<>();
        held.add(write);
        return write;
    };
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final StateListener counting = new StateListener() {
        @Override
        public void queueRefused() {
            refused.incrementAndGet();
        }

        @Override
        public void commandDropped(String reason) {
            dropped.add(reason);
        }
    };

    private ClusterRegistry registry(QueueLimits limits) {
        return new ClusterRegistry(journal, new NoBytesEncoder(), counting, clock, limits);
    }

    private void release() {
        for (int i = 0; i < 100 && !held.isEmpty(); i++) {
            for (CompletableFuture<LogPosition> w; (w = held.poll()) != null; ) {
                w.complete(LogPosition.of(journaled.size()));
            }
        }
    }

    private static CompletableFuture<Void> update(ClusterRegistry registry, String affiliate, int dataBytes, Caller caller) {
        return registry.update("c", affiliate, new byte[dataBytes], List.of(), Duration.ofMinutes(5), caller);
    }

    private static Caller patient() {
        return Caller.patient(Runnable::run);
    }

    @Test
    void beyondTheCountBoundAChangeIsRefusedAtOnce() {
        ClusterRegistry registry = registry(new QueueLimits(2, 1 << 20));
        CompletableFuture<Void> inFlight = update(registry, "a", 1, patient());
        CompletableFuture<Void> second = update(registry, "b", 1, patient());
        CompletableFuture<Void> third = update(registry, "c", 1, patient());
        CompletableFuture<Void> fourth = update(registry, "d", 1, patient());

        assertThat(fourth).isCompletedExceptionally();
        assertThatThrownBy(fourth::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(QueueFullException.class).hasMessageContaining("too many changes waiting");
        assertThat(refused).hasValue(1);
        release();
        assertThat(List.of(inFlight, second, third)).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThat(registry.list("c")).extracting(a -> a.id()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(journaled).hasSize(3);
    }

    @Test
    void beyondTheByteBoundAChangeIsRefusedAtOnce() {
        // Room for one queued 2 KB change (plus overhead), not two.
        ClusterRegistry registry = registry(new QueueLimits(100, 2048 + 2 * Command.OVERHEAD_BYTES + 100));
        update(registry, "a", 2048, patient());
        CompletableFuture<Void> queued = update(registry, "b", 2048, patient());
        CompletableFuture<Void> over = update(registry, "c", 2048, patient());
        CompletableFuture<Void> small = update(registry, "d", 0, patient());
        assertThat(queued).isNotDone();
        assertThat(over).isCompletedExceptionally();
        assertThat(small).isNotDone(); // a small one still fits
        release();
        assertThat(registry.list("c")).extracting(a -> a.id()).containsExactlyInAnyOrder("a", "b", "d");
    }

    @Test
    void changesWhoseCallerIsGoneNeverReachTheLog() {
        ClusterRegistry registry = registry(QueueLimits.DEFAULTS);
        AtomicBoolean reset = new AtomicBoolean();
        Instant inOneSecond = clock.instant().plusSeconds(1);
        CompletableFuture<Void> inFlight = update(registry, "a", 1, patient());
        CompletableFuture<Void> timedOut = update(registry, "b", 1, new Caller(Runnable::run, inOneSecond, () -> false));
        CompletableFuture<Void> cancelled = update(registry, "c", 1, new Caller(Runnable::run, null, reset::get));
        CompletableFuture<Void> waiting = update(registry, "d", 1, new Caller(Runnable::run, clock.instant().plusSeconds(60), () -> false));

        clock.advance(Duration.ofSeconds(2));
        reset.set(true);
        release();

        assertThat(inFlight).isCompleted().isNotCompletedExceptionally();
        assertThat(waiting).isCompleted().isNotCompletedExceptionally();
        assertThatThrownBy(timedOut::get).hasCauseInstanceOf(DroppedException.class).hasMessageContaining("deadline");
        assertThatThrownBy(cancelled::get).hasCauseInstanceOf(DroppedException.class).hasMessageContaining("cancelled");
        assertThat(journaled).extracting(Event::affiliateId).containsExactly("a", "d");
        assertThat(dropped).containsExactlyInAnyOrder(DroppedException.DEADLINE, DroppedException.CANCELLED);
        assertThat(registry.list("c")).extracting(a -> a.id()).containsExactlyInAnyOrder("a", "d");
    }

    @Test
    void aFullQueueFirstMakesRoomByDroppingChangesWhoseCallerIsGone() {
        ClusterRegistry registry = registry(new QueueLimits(1, 1 << 20));
        update(registry, "a", 1, patient());
        CompletableFuture<Void> expired = update(registry, "b", 1, new Caller(Runnable::run, clock.instant().plusSeconds(1), () -> false));
        clock.advance(Duration.ofSeconds(5));
        CompletableFuture<Void> fresh = update(registry, "c", 1, patient());
        assertThat(expired).isCompletedExceptionally();
        assertThat(fresh).isNotDone();
        assertThat(refused).hasValue(0);
        release();
        assertThat(fresh).isCompleted().isNotCompletedExceptionally();
        assertThat(journaled).extracting(Event::affiliateId).containsExactly("a", "c");
    }
}
