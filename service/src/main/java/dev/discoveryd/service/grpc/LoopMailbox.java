package dev.discoveryd.service.grpc;

import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands work to one event loop in batches: a broadcast to a thousand watchers on one loop costs one task on that loop,
 * not a thousand.
 */
final class LoopMailbox {
    private static final Logger LOG = LoggerFactory.getLogger(LoopMailbox.class);
    private static final String KEY = LoopMailbox.class.getName();

    private final Context context;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** One instance per loop, so that work for the same loop can be told apart from others by identity. */
    private final java.util.concurrent.Executor executor = this::post;

    private LoopMailbox(Context context) {
        this.context = context;
    }

    /** The mailbox of {@code context}; call on that context's own thread (it creates the mailbox once). */
    static LoopMailbox of(Context context) {
        LoopMailbox mailbox = context.get(KEY);
        if (mailbox == null) {
            mailbox = new LoopMailbox(context);
            context.put(KEY, mailbox);
        }
        return mailbox;
    }

    /** {@link #post} as an executor, the same instance every time (a cluster groups its answers per loop by it). */
    java.util.concurrent.Executor executor() {
        return executor;
    }

    void post(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            try {
                context.runOnContext(v -> drain());
            } catch (RuntimeException rejected) {
                // The loop is closing and takes no more tasks. Left scheduled, this mailbox would swallow every later
                // task (a cluster waiting on its continuation would never drain): run them here instead.
                drain();
            }
        }
    }

    private void drain() {
        scheduled.set(false); // before polling: a task added from now on schedules another drain
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A failing task must not strand the ones behind it: nothing would run them until the next post.
                LOG.error("task on the event loop failed", e);
            }
        }
    }
}
