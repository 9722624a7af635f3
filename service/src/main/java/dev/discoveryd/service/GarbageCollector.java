package dev.discoveryd.service;

import dev.discoveryd.service.state.ClusterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs expiry over every cluster at a fixed interval, on its own thread (never an event loop). */
final class GarbageCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private final ClusterRegistry registry;
    private final Runnable onRun;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "discoveryd-gc");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean running;

    GarbageCollector(ClusterRegistry registry, Runnable onRun) {
        this.registry = registry;
        this.onRun = onRun;
    }

    void start(Duration interval) {
        long ms = interval.toMillis();
        thread.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        if (running) {
            LOG.warn("garbage collection is still running from the previous interval; skipping this one");
            return;
        }
        running = true;
        registry.collectGarbage(thread).whenComplete((v, e) -> {
            running = false;
            if (e != null) {
                LOG.warn("garbage collection failed: {}", e.toString());
            }
            onRun.run();
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
