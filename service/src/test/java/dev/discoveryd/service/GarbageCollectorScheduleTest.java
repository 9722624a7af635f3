package dev.discoveryd.service;

import dev.discoveryd.service.state.NoBytesEncoder;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.service.e2e.MutableClock;
import dev.discoveryd.service.schedule.ManualScheduler;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.Journal;
import dev.discoveryd.service.state.StateListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Expiry on its schedule, with the clock moved by hand: no sleeps, no thread. */
class GarbageCollectorScheduleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final AtomicLong index = new AtomicLong();
    private final Journal journal = event -> CompletableFuture.completedFuture(LogPosition.of(index.incrementAndGet()));
    private final ClusterRegistry registry = new ClusterRegistry(journal, new NoBytesEncoder(), StateListener.NONE, clock);
    private final AtomicInteger rounds = new AtomicInteger();
    private final GarbageCollector gc = new GarbageCollector(registry, rounds::incrementAndGet, scheduler);

    @AfterEach
    void close() {
        gc.close();
    }

    @Test
    void runsEveryIntervalAndExpiresOnlyOnceTheTtlHasPassed() throws Exception {
        registry.update("c", "a", new byte[]{1}, List.of(), Duration.ofSeconds(90), Runnable::run).get();
        gc.start(Duration.ofMinutes(1));

        scheduler.advance(Duration.ofSeconds(59));
        assertThat(rounds).hasValue(0);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(rounds).hasValue(1);
        assertThat(registry.list("c")).hasSize(1); // 60 s of a 90 s TTL

        scheduler.advance(Duration.ofMinutes(1));
        assertThat(rounds).hasValue(2);
        assertThat(registry.list("c")).isEmpty();

        scheduler.advance(Duration.ofMinutes(3));
        assertThat(rounds).hasValue(5);
    }

    @Test
    void nothingRunsAfterClose() {
        gc.start(Duration.ofMinutes(1));
        gc.close();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(rounds).hasValue(0);
    }
}
