package dev.discoveryd.service.grpc;

import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.service.state.WatchSink;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Watch stream. Messages are handed to the stream's event loop and written there; when the client stops reading,
 * they wait in a small backlog, and a watcher more than {@code limit} messages behind is ended with ABORTED ("lost
 * update") so that nobody else waits for it. Talos clients then reconnect and get a fresh snapshot.
 */
final class GrpcWatcher implements WatchSink {
    private final Context context;
    private final LoopMailbox mailbox;
    private final GrpcServerResponse<WatchRequest, WatchResponse> response;
    private final int limit;
    private final Consumer<GrpcStatus> onEnd;
    private final Runnable onSent;
    private final Runnable flush;
    /** Messages accepted by send() and not yet written to the stream. */
    private final AtomicInteger behind = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>(); // event-loop confined

    GrpcWatcher(Context context, GrpcServerResponse<WatchRequest, WatchResponse> response, int limit, Consumer<GrpcStatus> onEnd,
                Runnable onSent, Runnable flush) {
        this.context = context;
        this.mailbox = LoopMailbox.of(context);
        this.response = response;
        this.limit = limit;
        this.onEnd = onEnd;
        this.onSent = onSent;
        this.flush = flush;
        response.drainHandler(v -> flush());
    }

    @Override
    public void send(byte[] message) {
        if (ended.get()) {
            return;
        }
        if (behind.incrementAndGet() > limit) {
            end(GrpcStatus.ABORTED, "lost update");
            return;
        }
        mailbox.post(() -> deliver(message));
    }

    @Override
    public void close(String reason) {
        end(GrpcStatus.UNAVAILABLE, reason);
    }

    /** The client went away: stop without writing anything. */
    void cancelled() {
        if (ended.compareAndSet(false, true)) {
            context.runOnContext(v -> onEnd.accept(GrpcStatus.CANCELLED));
        }
    }

    private void deliver(byte[] message) {
        if (ended.get()) {
            return;
        }
        if (!backlog.isEmpty() || response.writeQueueFull()) {
            backlog.add(message);
            return;
        }
        write(message);
    }

    private void flush() {
        while (!ended.get() && !backlog.isEmpty() && !response.writeQueueFull()) {
            write(backlog.poll());
        }
    }

    private void write(byte[] message) {
        behind.decrementAndGet();
        response.writeMessage(GrpcMessage.message("identity", Buffer.buffer(message)));
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
            backlog.clear();
            onEnd.accept(status);
            try {
                response.status(status).statusMessage(reason).end();
            } catch (IllegalStateException alreadyGone) {
                // The client reset the stream first; there is nobody left to tell.
            }
        });
    }
}
