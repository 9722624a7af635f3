package dev.discoveryd.service.grpc;

import dev.discoveryd.service.state.WatchSink;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.grpc.common.GrpcStatus;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * A Watch stream. Messages (already framed, shared by every watcher) are handed to the stream's event loop and
 * written there; when the client stops reading they wait in a small backlog. Two bounds end a watcher so that nobody
 * else waits or pays for it: more than {@code limit} messages waiting for the client (its stream's write queue full)
 * is ABORTED ("lost update": Talos clients reconnect and get a fresh snapshot), and more unsent bytes than its
 * {@link WatchBudget} allows is RESOURCE_EXHAUSTED. Bytes stuck in HTTP/2 flow control cannot be recalled in order,
 * so such a watcher is reset (ENHANCE_YOUR_CALM, which gRPC clients report as RESOURCE_EXHAUSTED) to free them at once.
 *
 * <p>Only the backlog counts against {@code limit}, not messages still on their way to the event loop: a loop that
 * does not get the CPU for a few milliseconds (a busy machine) must not cost a watcher that reads; those messages are
 * bounded by the byte budget. The backlog moves on the stream's drain event and on every completed write: Vert.x
 * (5.0.7) does not report every moment its HTTP/2 write queue has room again, and a backlog that waited for the
 * event alone stayed put behind an idle stream until the watcher was aborted.
 */
final class GrpcWatcher implements WatchSink {
    /** HTTP/2 ENHANCE_YOUR_CALM. */
    static final long ENHANCE_YOUR_CALM = 0xb;

    private final Context context;
    private final LoopMailbox mailbox;
    private final WatchStream call;
    private final int limit;
    private final WatchBudget.Account account;
    private final long perWatcher;
    private final Runnable onSent;
    private final Runnable flush;
    private final IntConsumer onSnapshot;
    private boolean first = true; // send() of one watcher is serialized by its cluster's lock
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Messages the stream's full write queue held back, oldest first; event-loop confined. */
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    private boolean draining; // event-loop confined
    private long inFlight; // bytes handed to the stream and not yet on the wire; event-loop confined

    GrpcWatcher(Context context, WatchStream call, int limit, WatchBudget budget, byte[] clientIp, Runnable onSent,
                Runnable flush, IntConsumer onSnapshot) {
        this.context = context;
        this.mailbox = LoopMailbox.of(context);
        this.call = call;
        this.limit = limit;
        this.onSent = onSent;
        this.flush = flush;
        this.onSnapshot = onSnapshot;
        this.perWatcher = budget.perWatcher();
        this.account = budget.open(clientIp, () -> context.runOnContext(v -> evicted()));
        call.drainHandler(this::drain);
        call.whenClosed(account::close);
    }

    @Override
    public void send(byte[] message) {
        if (first) {
            first = false;
            onSnapshot.accept(message.length);
        }
        if (ended.get()) {
            return;
        }
        WatchBudget.Verdict verdict = account.reserve(message.length);
        switch (verdict) {
            case OK -> mailbox.post(() -> deliver(message));
            case WATCHER -> overflow("watch buffer full: over " + perWatcher + " bytes unsent to this stream; read faster");
            case ADDRESS -> overflow("watch buffer full: Watch streams from this address hold too much unsent data");
            case PROCESS -> overflow("watch buffer full: the server holds too much unsent Watch data; this stream holds most");
            case CLOSED -> { }
        }
    }

    @Override
    public void close(String reason) {
        end(GrpcStatus.UNAVAILABLE, reason);
    }

    private void deliver(byte[] message) {
        if (ended.get()) {
            account.release(message.length);
            return;
        }
        drain(); // first what waited, so that order holds even if no drain event came
        if (backlog.isEmpty() && !call.writeQueueFull()) {
            write(message);
            return;
        }
        if (backlog.size() >= limit) {
            account.release(message.length);
            end(GrpcStatus.ABORTED, "lost update");
            return;
        }
        backlog.add(message);
    }

    /** Writes what waited while the stream has room; on the drain event, after each completed write, before a new one. */
    private void drain() {
        if (draining) {
            return; // a write that completed inline, inside this loop
        }
        draining = true;
        try {
            while (!ended.get() && !backlog.isEmpty() && !call.writeQueueFull()) {
                write(backlog.poll());
            }
        } finally {
            draining = false;
        }
    }

    private void write(byte[] message) {
        long size = message.length;
        inFlight += size;
        // Wrapped, not copied: the same array goes to every watcher of the cluster.
        call.send(BufferInternal.buffer(Unpooled.wrappedBuffer(message))).onComplete(ar -> {
            inFlight -= size;
            account.release(size);
            if (!backlog.isEmpty()) {
                drain();
            }
        });
        // Asked for explicitly: with acknowledgements leaving from later tasks (log on), now and then one first message
        // among 1024 watchers (64 per connection) was written but never flushed, and that watcher waited until something
        // else flushed its connection. Coalesced with the other flushes of the task (FlushBatching).
        flush.run();
        onSent.run();
    }

    private void end(GrpcStatus status, String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        // Runs later on the stream's loop: the caller may hold the cluster lock while iterating its watchers.
        context.runOnContext(v -> {
            dropBacklog();
            call.finish(status, reason);
        });
    }

    private void overflow(String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        context.runOnContext(v -> {
            dropBacklog();
            account.close();
            if (inFlight > 0) {
                call.reset(ENHANCE_YOUR_CALM, GrpcStatus.RESOURCE_EXHAUSTED);
            } else {
                call.finish(GrpcStatus.RESOURCE_EXHAUSTED, reason);
            }
        });
    }

    /** Chosen by the process bound (its account is closed already); also frees a stream that ended but holds data. */
    private void evicted() {
        ended.set(true);
        dropBacklog();
        if (inFlight > 0 || !call.isOver()) {
            call.reset(ENHANCE_YOUR_CALM, GrpcStatus.RESOURCE_EXHAUSTED);
        }
    }

    private void dropBacklog() {
        byte[] m;
        while ((m = backlog.poll()) != null) {
            account.release(m.length);
        }
    }
}
