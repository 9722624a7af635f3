package dev.discoveryd.service;

import dev.discoveryd.service.schedule.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * How the serving process ends on SIGTERM or SIGINT. The first signal closes the server (listeners, watchers, the
 * final snapshot, the log) and the process exits 0, or 1 when the close failed. Whatever the close does, the process
 * ends: a close still running after {@code limit}, or a second signal, stops the JVM at once. Needed because the
 * service replaces the JVM's own handlers for these signals and its event loops are not daemon threads: a close that
 * threw left the loops running and the main thread gone, a close that hung left the main thread waiting, and in both
 * cases no later SIGTERM could end the process.
 */
final class Shutdown {
    /**
     * Under the 60 s the systemd unit and the Kubernetes StatefulSet give before SIGKILL, so that this, not the kill,
     * says where a stuck close was. A normal close takes a few seconds; one cut short loses at most the final
     * snapshot (the log holds everything, a restart replays it).
     */
    static final Duration LIMIT = Duration.ofSeconds(50);
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private final Scheduler watchdog;
    private final Duration limit;
    private final IntConsumer halt;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private volatile Thread closing;

    /** {@code halt} ends the JVM with a code at once ({@code Runtime::halt} in the service). */
    Shutdown(Scheduler watchdog, Duration limit, IntConsumer halt) {
        this.watchdog = watchdog;
        this.limit = limit;
        this.halt = halt;
    }

    /** A SIGTERM or SIGINT arrived: the first starts the close, a second while it runs stops the process now. */
    void signal(String name) {
        if (signals.incrementAndGet() == 1) {
            LOG.info("SIG{}: shutting down (a second signal stops at once)", name);
            requested.countDown();
        } else {
            LOG.warn("SIG{} again while shutting down: stopping now", name);
            halt.accept(128 + ("INT".equals(name) ? 2 : 15));
        }
    }

    /** Waits for the first signal, then closes {@code server} on this thread; returns the exit code. */
    int awaitThenClose(AutoCloseable server) throws InterruptedException {
        requested.await();
        closing = Thread.currentThread();
        watchdog.every(limit, () -> {
            LOG.error("shutdown still running after {} s, stopping now; it was at {}", limit.toSeconds(), where());
            halt.accept(1);
        });
        try {
            server.close();
            return 0;
        } catch (Exception | Error e) {
            LOG.error("shutdown failed, exiting anyway: {}", e.toString());
            return 1;
        } finally {
            watchdog.close();
        }
    }

    private String where() {
        Thread t = closing;
        StackTraceElement[] stack = t == null ? new StackTraceElement[0] : t.getStackTrace();
        for (StackTraceElement e : stack) {
            if (e.getClassName().startsWith("dev.discoveryd")) {
                return e.toString();
            }
        }
        return stack.length > 0 ? stack[0].toString() : "an unknown step";
    }
}
