package dev.discoveryd.service.grpc;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;

/** What a {@link GrpcWatcher} needs of its stream ({@link GrpcCall}); confined to the stream's event loop. */
interface WatchStream {
    /** Writes one framed message; completes when it is on the wire (or failed). */
    Future<Void> send(Buffer framed);

    /** The stream's write queue is full (its flow-control window, then its queue): hold messages back. */
    boolean writeQueueFull();

    /** Called when a full write queue has room again (a hint: not every such moment is reported). */
    void drainHandler(Runnable handler);

    /** Runs {@code hook} once the stream is closed, however. */
    void whenClosed(Runnable hook);

    /** Ends the call with {@code status} after what was sent. */
    void finish(GrpcStatus status, String message);

    /** Resets the stream with HTTP/2 error {@code code}, dropping what is queued; recorded as {@code status}. */
    void reset(long code, GrpcStatus status);

    /** The call has ended (any thread). */
    boolean isOver();
}
