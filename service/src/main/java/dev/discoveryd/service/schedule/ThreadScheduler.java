package dev.discoveryd.service.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A {@link Scheduler} that owns one daemon thread, named after its job; {@link #close} ends the thread. */
public final class ThreadScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduler.class);

    private final String name;
    private final ScheduledExecutorService thread;

    public ThreadScheduler(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void every(Duration interval, Runnable task) {
        long ms = interval.toMillis();
        thread.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A throw would cancel the schedule for good.
                LOG.warn("{}: a scheduled run failed, the next one goes ahead: {}", name, e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public Executor executor() {
        return thread;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{}: a task did not stop within 5 s of close", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
