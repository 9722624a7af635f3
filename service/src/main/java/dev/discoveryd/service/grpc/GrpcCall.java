package dev.discoveryd.service.grpc;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * One gRPC call on an HTTP/2 stream, for methods whose client sends one message (unary and server streaming). The
 * request is read as grpc-go reads it: exactly one message, then the end of the client's stream, before the handler
 * runs; anything else is answered here with a status. Every call ends exactly once, with the status written or with
 * CANCELLED when the client went away first. Confined to the stream's event loop, except {@link #isOver}.
 */
final class GrpcCall implements WatchStream {
    static final String CONTENT_TYPE = "application/grpc";

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final String method;
    private final long timeoutMillis;
    private final int maxMessageBytes;
    private Consumer<GrpcStatus> onEnd = status -> { };
    private final List<Runnable> whenClosed = new ArrayList<>(2);
    private boolean closed;
    private boolean headersSent;
    private boolean held;
    private volatile boolean over;

    GrpcCall(HttpServerRequest request, String method, long timeoutMillis, int maxMessageBytes) {
        this.request = request;
        this.response = request.response();
        this.method = method;
        this.timeoutMillis = timeoutMillis;
        this.maxMessageBytes = maxMessageBytes;
        // A reset stream or a closed connection: the client is gone, nothing more is written.
        request.exceptionHandler(e -> gone());
        response.exceptionHandler(e -> gone());
        response.closeHandler(v -> {
            gone();
            if (!closed) {
                closed = true;
                whenClosed.forEach(Runnable::run);
            }
        });
    }

    /** Runs {@code hook} once the HTTP/2 stream is closed, however (after the status, a reset, a lost connection). */
    @Override
    public void whenClosed(Runnable hook) {
        if (closed) {
            hook.run();
        } else {
            whenClosed.add(hook);
        }
    }

    String method() {
        return method;
    }

    MultiMap headers() {
        return request.headers();
    }

    HttpConnection connection() {
        return request.connection();
    }

    /** The client's deadline in milliseconds from the start of the call, 0 when it gave none. */
    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Called once when the call is over: with the status it ended with, or CANCELLED when the client left first. */
    void onEnd(Consumer<GrpcStatus> handler) {
        this.onEnd = handler;
    }

    @Override
    public boolean isOver() {
        return over;
    }

    /**
     * Holds the request body back until {@link #readOne}: it stays in the stream's buffer and flow-control window
     * (at most what the window grants), nothing of it is decoded or answered meanwhile.
     */
    void holdBody() {
        held = true;
        request.pause();
    }

    /**
     * Reads the one request message and the end of the client's stream, then hands the (decompressed) message to
     * {@code onRequest}; a missing, extra, cut-short, oversized or undecodable message ends the call with a status.
     */
    void readOne(Consumer<byte[]> onRequest) {
        String encoding = request.getHeader("grpc-encoding");
        String coding = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
        if (!coding.equals("identity") && !coding.equals("gzip")) {
            response.putHeader("grpc-accept-encoding", "gzip");
            finish(GrpcStatus.UNIMPLEMENTED, "grpc: Decompressor is not installed for grpc-encoding \"" + encoding + "\"");
            return;
        }
        boolean gzip = coding.equals("gzip");
        GrpcDeframer deframer = new GrpcDeframer(maxMessageBytes);
        byte[][] message = new byte[1][];
        request.handler(chunk -> {
            if (over) {
                return;
            }
            try {
                deframer.feed(chunk, (compressed, bytes) -> {
                    if (message[0] != null) {
                        throw new StatusException(GrpcStatus.INTERNAL,
                                "cardinality violation: received multiple request messages for non-client-streaming RPC");
                    }
                    message[0] = compressed ? inflate(bytes, gzip) : bytes;
                });
            } catch (StatusException e) {
                finish(e.status(), e.getMessage());
            }
        });
        request.endHandler(v -> {
            if (over) {
                return;
            }
            try {
                deframer.finish();
                if (message[0] == null) {
                    throw new StatusException(GrpcStatus.INTERNAL,
                            "cardinality violation: received no request message from non-client-streaming RPC");
                }
            } catch (StatusException e) {
                finish(e.status(), e.getMessage());
                return;
            }
            onRequest.accept(message[0]);
        });
        if (held) {
            held = false;
            request.resume();
        }
    }

    private byte[] inflate(byte[] compressed, boolean gzip) {
        if (!gzip) {
            throw new StatusException(GrpcStatus.INTERNAL, "grpc: compressed flag set with identity or empty encoding");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            // Bounded like any message: a small compressed body must not expand into a large allocation.
            byte[] out = in.readNBytes(maxMessageBytes + 1);
            if (out.length > maxMessageBytes) {
                throw new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
                        "grpc: received message after decompression larger than max (" + maxMessageBytes + ")");
            }
            return out;
        } catch (IOException e) {
            throw new StatusException(GrpcStatus.INTERNAL, "grpc: failed to decompress the received message: " + e.getMessage());
        }
    }

    /** Writes one framed message (response headers first, the first time); completes when it is on the wire. */
    @Override
    public Future<Void> send(Buffer framed) {
        sendHeaders();
        return response.write(framed);
    }

    @Override
    public boolean writeQueueFull() {
        return response.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable handler) {
        response.drainHandler(v -> handler.run());
    }

    /** The unary answer: headers, the framed reply and the OK trailers in one go. */
    void reply(Buffer framed) {
        if (over) {
            return;
        }
        over = true;
        sendHeaders();
        response.putTrailer("grpc-status", "0");
        try {
            response.end(framed);
        } catch (IllegalStateException alreadyGone) {
            // reset by the client while we answered
        }
        onEnd.accept(GrpcStatus.OK);
    }

    /** Ends the call with {@code status}: trailers after what was sent, or a trailers-only answer. */
    @Override
    public void finish(GrpcStatus status, String message) {
        if (over) {
            return;
        }
        over = true;
        try {
            if (headersSent) {
                response.putTrailer("grpc-status", Integer.toString(status.code));
                if (message != null) {
                    response.putTrailer("grpc-message", GrpcText.encodeMessage(message));
                }
            } else {
                response.putHeader("content-type", CONTENT_TYPE).putHeader("grpc-status", Integer.toString(status.code));
                if (message != null) {
                    response.putHeader("grpc-message", GrpcText.encodeMessage(message));
                }
            }
            response.end();
        } catch (IllegalStateException alreadyGone) {
            // reset by the client while we answered
        }
        onEnd.accept(status);
    }

    /**
     * Resets the stream with HTTP/2 error {@code code}, dropping whatever is still queued for it; for a client that
     * cannot be told anything in order because it does not read. Recorded as {@code status} unless the call had
     * already ended (its status may still be queued behind data the client never reads).
     */
    @Override
    public void reset(long code, GrpcStatus status) {
        boolean first = !over;
        over = true;
        try {
            response.reset(code);
        } catch (IllegalStateException alreadyGone) {
            // already closed
        }
        if (first) {
            onEnd.accept(status);
        }
    }

    private void sendHeaders() {
        if (!headersSent) {
            headersSent = true;
            response.putHeader("content-type", CONTENT_TYPE);
        }
    }

    private void gone() {
        if (!over) {
            over = true;
            onEnd.accept(GrpcStatus.CANCELLED);
        }
    }
}
