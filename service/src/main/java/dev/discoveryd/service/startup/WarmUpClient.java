package dev.discoveryd.service.startup;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain gRPC-over-HTTP/2 calls to a loopback port, for warming the request path at start-up: each call sends one
 * length-prefixed message and reads the reply and its trailers, as a node's client does. No gRPC client library:
 * the server side is what gets warmed.
 */
public final class WarmUpClient implements AutoCloseable {
    private final HttpClientAgent http;
    private final int port;
    private volatile String firstFailure;

    public WarmUpClient(Vertx vertx, int port, int connections) {
        this.port = port;
        this.http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setConnectTimeout(2000), new PoolOptions().setHttp2MaxSize(connections));
    }

    /** One unary call; completes with its grpc-status (0 = OK). */
    public Future<Integer> call(String path, byte[] message) {
        Buffer frame = Buffer.buffer(5 + message.length).appendByte((byte) 0).appendInt(message.length).appendBytes(message);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(path).putHeader("content-type", "application/grpc").putHeader("te", "trailers");
        return http.request(options).compose(req -> req.send(frame)).compose(WarmUpClient::status);
    }

    /**
     * {@code total} calls, {@code parallel} at a time, each lane starting its next call when the previous one ends;
     * stops early at {@code deadlineNanos} (System.nanoTime). Completes with the number of calls answered OK.
     */
    public Future<Integer> repeat(String path, byte[] message, int total, int parallel, long deadlineNanos) {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger lanes = new AtomicInteger(parallel);
        Promise<Integer> done = Promise.promise();
        for (int i = 0; i < parallel; i++) {
            lane(path, message, total, deadlineNanos, started, ok, lanes, done);
        }
        return done.future();
    }

    private void lane(String path, byte[] message, int total, long deadlineNanos, AtomicInteger started,
                      AtomicInteger ok, AtomicInteger lanes, Promise<Integer> done) {
        if (started.getAndIncrement() >= total || System.nanoTime() - deadlineNanos > 0) {
            if (lanes.decrementAndGet() == 0) {
                done.complete(ok.get());
            }
            return;
        }
        call(path, message).onComplete(r -> {
            if (r.succeeded() && r.result() == 0) {
                ok.incrementAndGet();
            } else if (firstFailure == null) {
                firstFailure = r.succeeded() ? "grpc-status " + r.result() : String.valueOf(r.cause());
            }
            lane(path, message, total, deadlineNanos, started, ok, lanes, done);
        });
    }

    /** Why the first call that was not answered OK failed (null: none did), for the log. */
    public String firstFailure() {
        return firstFailure;
    }

    private static Future<Integer> status(HttpClientResponse response) {
        return response.body().map(body -> {
            String status = response.getTrailer("grpc-status");
            if (status == null) {
                status = response.getHeader("grpc-status"); // a trailers-only answer
            }
            return status == null ? -1 : Integer.parseInt(status);
        });
    }

    @Override
    public void close() {
        http.close();
    }
}
