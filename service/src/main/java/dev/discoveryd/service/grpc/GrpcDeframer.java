package dev.discoveryd.service.grpc;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;

import java.util.function.BiConsumer;

/**
 * Splits a gRPC request body into its length-prefixed messages (a flag byte, 0 or 1 for compressed, then a 4-byte
 * big-endian length). Refuses a bad flag or a declared length over the limit before buffering anything of it, so a
 * request never costs more than one message of at most {@code maxMessageBytes}. Not thread-safe (one stream's loop).
 */
final class GrpcDeframer {
    private final int maxMessageBytes;
    private final byte[] prefix = new byte[5];
    private int prefixFilled;
    private byte[] body;
    private int bodyFilled;

    GrpcDeframer(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Consumes {@code chunk}, handing each complete message (compressed flag, bytes) to {@code out}. */
    void feed(Buffer chunk, BiConsumer<Boolean, byte[]> out) {
        int at = 0;
        int length = chunk.length();
        while (at < length) {
            if (body == null) {
                int n = Math.min(5 - prefixFilled, length - at);
                chunk.getBytes(at, at + n, prefix, prefixFilled);
                prefixFilled += n;
                at += n;
                if (prefixFilled < 5) {
                    return;
                }
                startMessage();
            }
            int n = Math.min(body.length - bodyFilled, length - at);
            chunk.getBytes(at, at + n, body, bodyFilled);
            bodyFilled += n;
            at += n;
            if (bodyFilled == body.length) {
                emit(out);
            }
        }
    }

    /** The request stream ended: fails if it ended inside a message. */
    void finish() {
        if (prefixFilled > 0 || body != null) {
            throw new StatusException(GrpcStatus.INTERNAL, "grpc: unexpected EOF: the request ended inside a message");
        }
    }

    private void startMessage() {
        int flag = prefix[0] & 0xff;
        if (flag > 1) {
            throw new StatusException(GrpcStatus.INTERNAL, "grpc: received unexpected payload format " + flag);
        }
        long declared = ((prefix[1] & 0xffL) << 24) | ((prefix[2] & 0xff) << 16) | ((prefix[3] & 0xff) << 8) | (prefix[4] & 0xff);
        if (declared > maxMessageBytes) {
            throw new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
                    "grpc: received message larger than max (" + declared + " vs. " + maxMessageBytes + ")");
        }
        body = new byte[(int) declared];
        bodyFilled = 0;
    }

    private void emit(BiConsumer<Boolean, byte[]> out) {
        byte[] message = body;
        boolean compressed = prefix[0] == 1;
        body = null;
        prefixFilled = 0;
        out.accept(compressed, message);
    }
}
