package dev.discoveryd.service.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Coalesces the flushes of one HTTP/2 connection that are asked for outside its read cycle. An acknowledgement that
 * waited for the event log, and a Watch update, are written from a later task, where Vert.x flushes the channel after
 * each frame it writes (headers, data, trailers), and each flush runs HTTP/2 flow control and a socket write. Added
 * last to the pipeline, at its application end where channel-level flushes enter, this handler turns the flushes
 * asked for while one task runs into one, done by a task it queues on the same event loop: that task runs after the
 * ones already queued there, so a flush waits at most one pass over the loop's queue and is never dropped. Flushes at
 * the end of a read cycle come from Vert.x's own handler, nearer the socket, and do not pass here. Used by
 * {@link ClusterApi} (acknowledgements) and {@link GrpcWatcher} (through {@link #flusher}); installed on each
 * connection by the gRPC listener.
 *
 * <p>When it was added (commit 8197978), update throughput with the log on went from about 0.55 to 0.75-0.83 of the
 * in-memory figure. Reaches the channel through a Vert.x implementation class; on a Vert.x without it connections stay
 * as they are.
 */
public final class FlushBatching extends ChannelOutboundHandlerAdapter {
    private static final String NAME = "discoveryd-flush-batching";

    private boolean scheduled; // touched on the channel's event loop only

    private FlushBatching() {
    }

    /** Adds the handler to {@code connection}'s pipeline (once). */
    public static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            Channel channel = base.channel();
            if (channel.pipeline().get(NAME) == null) {
                channel.pipeline().addLast(NAME, new FlushBatching());
            }
        }
    }

    /** What asks for a flush of {@code connection}, coalesced like any other (nothing on a connection of another kind). */
    public static Runnable flusher(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            Channel channel = base.channel();
            return channel::flush;
        }
        return () -> { };
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!scheduled) {
            scheduled = true;
            ctx.executor().execute(() -> {
                scheduled = false;
                ctx.flush();
            });
        }
    }
}
