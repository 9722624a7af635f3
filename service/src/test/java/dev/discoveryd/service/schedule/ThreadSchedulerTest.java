package dev.discoveryd.service.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The real scheduler: a throwing run keeps the schedule, and close leaves no thread behind. */
class ThreadSchedulerTest {
    private static boolean alive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void aFailingRunKeepsTheScheduleAndCloseEndsTheThread() throws Exception {
        String name = "test-scheduler-" + System.nanoTime();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch twice = new CountDownLatch(2);
        ThreadScheduler scheduler = new ThreadScheduler(name);
        scheduler.every(Duration.ofMillis(5), () -> {
            runs.incrementAndGet();
            twice.countDown();
            throw new IllegalStateException("every run fails");
        });
        assertThat(twice.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(alive(name)).isTrue();
        scheduler.close();
        assertThat(alive(name)).isFalse();
    }
}
