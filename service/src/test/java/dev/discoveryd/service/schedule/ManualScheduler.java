package dev.discoveryd.service.schedule;

import dev.discoveryd.service.e2e.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;

/** A {@link Scheduler} moved by hand: {@link #advance} moves the clock and runs what falls due, on the caller. */
public final class ManualScheduler implements Scheduler {
    private final MutableClock clock;
    private final List<Job> jobs = new ArrayList<>();
    private final Queue<Runnable> once = new ArrayDeque<>();
    private boolean closed;

    private static final class Job {
        final Duration interval;
        final Runnable task;
        Instant next;

        Job(Duration interval, Runnable task, Instant next) {
            this.interval = interval;
            this.task = task;
            this.next = next;
        }
    }

    public ManualScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void every(Duration interval, Runnable task) {
        jobs.add(new Job(interval, task, clock.instant().plus(interval)));
    }

    @Override
    public Executor executor() {
        return task -> {
            synchronized (this) {
                once.add(task);
            }
            runOnce();
        };
    }

    /** Moves the clock by {@code by} in steps, running each job whenever its time comes, in time order. */
    public void advance(Duration by) {
        Instant end = clock.instant().plus(by);
        while (true) {
            Job due;
            synchronized (this) {
                due = closed ? null : jobs.stream().filter(j -> !j.next.isAfter(end))
                        .min(Comparator.comparing(j -> j.next)).orElse(null);
                if (due != null) {
                    clock.advance(Duration.between(clock.instant(), due.next));
                    due.next = due.next.plus(due.interval);
                }
            }
            if (due == null) {
                break;
            }
            due.task.run();
            runOnce();
        }
        clock.advance(Duration.between(clock.instant(), end));
    }

    private void runOnce() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = closed ? null : once.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        jobs.clear();
        once.clear();
    }
}
