package dev.discoveryd.service;

import dev.discoveryd.service.e2e.MutableClock;
import dev.discoveryd.service.h2.LogCapture;
import dev.discoveryd.service.schedule.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM always ends the process: a close that fails still exits (with 1), a close that hangs is stopped after the
 * limit, a second signal stops it at once, and a clean close exits 0 with the watchdog gone. The watchdog runs on a
 * hand-moved scheduler; the close runs on a thread of its own, as it does on the service's main thread.
 */
class ShutdownTest {
    private static final Duration LIMIT = Shutdown.LIMIT;
    private final ManualScheduler scheduler = new ManualScheduler(new MutableClock(Instant.parse("2026-12-02T00:00:00Z")));
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();
    private final Shutdown shutdown = new Shutdown(scheduler, LIMIT, halted::complete);

    private CompletableFuture<Integer> closeOnItsOwnThread(AutoCloseable server) {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                code.complete(shutdown.awaitThenClose(server));
            } catch (Throwable e) {
                code.completeExceptionally(e);
            }
        }, "test-main");
        t.setDaemon(true);
        t.start();
        return code;
    }

    @Test
    void aCleanCloseExitsZeroAndLeavesNoWatchdog() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        CompletableFuture<Integer> code = closeOnItsOwnThread(closed::countDown);
        assertThat(closed.getCount()).as("nothing before the signal").isEqualTo(1);
        shutdown.signal("TERM");
        assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
        scheduler.advance(LIMIT.multipliedBy(2));
        assertThat(halted).isNotDone();
    }

    @Test
    void aCloseThatThrowsStillEndsWithOneAndOneLineWithoutATrace() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            CompletableFuture<Integer> code = closeOnItsOwnThread(() -> {
                throw new IllegalStateException("closing storage failed: disk gone");
            });
            shutdown.signal("TERM");
            assertThat(code.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(logs.errors()).containsExactly(
                    "dev.discoveryd.service.Shutdown: shutdown failed, exiting anyway: java.lang.IllegalStateException: "
                            + "closing storage failed: disk gone");
        }
    }

    @Test
    void aCloseThatHangsIsStoppedAfterTheLimit() throws Exception {
        CountDownLatch inClose = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> code = closeOnItsOwnThread(() -> {
            inClose.countDown();
            release.await();
        });
        shutdown.signal("TERM");
        assertThat(inClose.await(10, TimeUnit.SECONDS)).isTrue();
        scheduler.advance(LIMIT.minusSeconds(1));
        assertThat(halted).as("not before the limit").isNotDone();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(halted.getNow(null)).isEqualTo(1);
        release.countDown();
        code.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSecondSignalStopsAtOnce() throws Exception {
        CountDownLatch inClose = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> code = closeOnItsOwnThread(() -> {
            inClose.countDown();
            release.await();
        });
        shutdown.signal("TERM");
        assertThat(inClose.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(halted).isNotDone();
        shutdown.signal("INT");
        assertThat(halted.getNow(null)).isEqualTo(130);
        release.countDown();
        code.get(10, TimeUnit.SECONDS);
    }
}
