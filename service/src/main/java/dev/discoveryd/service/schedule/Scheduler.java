package dev.discoveryd.service.schedule;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Where a periodic job (expiry, snapshots, certificate reload) runs: injected, so that tests move time by hand
 * ({@code ManualScheduler}) instead of sleeping, while the service uses one owned thread per job
 * ({@link ThreadScheduler}).
 */
public interface Scheduler extends AutoCloseable {
    /** Runs {@code task} every {@code interval}, the first time one interval from now, until {@link #close}. */
    void every(Duration interval, Runnable task);

    /** Runs tasks once, in order with the periodic ones (the same thread for a {@link ThreadScheduler}). */
    Executor executor();

    /** No task starts afterwards; waits briefly for one that is running. */
    @Override
    void close();
}
