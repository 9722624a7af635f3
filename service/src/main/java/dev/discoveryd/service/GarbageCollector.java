package dev.discoveryd.service;

import dev.discoveryd.service.schedule.Scheduler;
import dev.discoveryd.service.schedule.ThreadScheduler;
import dev.discoveryd.service.state.ClusterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** Runs expiry over every cluster at a fixed interval, on its own thread (never an event loop). */
final class GarbageCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private final ClusterRegistry registry;
    private final Runnable onRun;
    private final Scheduler scheduler;

    /** Clusters skipped in the last round, so a stall is logged when it starts and when it ends, not every round. */
    private int skipping;

    GarbageCollector(ClusterRegistry registry, Runnable onRun) {
        this(registry, onRun, new ThreadScheduler("discoveryd-gc"));
    }

    /** Takes {@code scheduler} over (closes it). */
    GarbageCollector(ClusterRegistry registry, Runnable onRun, Scheduler scheduler) {
        this.registry = registry;
        this.onRun = onRun;
        this.scheduler = scheduler;
    }

    void start(Duration interval) {
        scheduler.every(interval, this::runOnce);
    }

    /**
     * Queues one round and returns without waiting for it: a cluster whose expiry is still being written is skipped
     * by the registry, so one stuck cluster delays only its own expiry.
     */
    void runOnce() {
        ClusterRegistry.GcRound round;
        try {
            round = registry.collectGarbage(scheduler.executor());
        } catch (RuntimeException e) {
            LOG.warn("garbage collection round failed: {}", e.toString()); // a throw would cancel the schedule
            return;
        }
        onRun.run();
        if (round.skipped() > 0 && skipping == 0) {
            LOG.warn("garbage collection: {} clusters still have the previous expiry waiting for the event log; they "
                    + "are skipped until it is done, the others expire as usual", round.skipped());
        } else if (round.skipped() == 0 && skipping > 0) {
            LOG.info("garbage collection reaches every cluster again");
        }
        skipping = round.skipped();
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
