package dev.discoveryd.service.ops;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real gRPC client (h2c, or TLS trusting any certificate) with deadlines and headers, for the ops tests. */
final class GrpcCaller implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final GrpcClient grpc;
    private final SocketAddress address;

    GrpcCaller(int port, boolean tls) {
        HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2);
        if (tls) {
            options.setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false);
        } else {
            options.setHttp2ClearTextUpgrade(false);
        }
        grpc = GrpcClient.client(vertx, options);
        address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    }

    record Result<T>(GrpcStatus status, String message, T reply, long millis) {
    }

    <Req, Resp> Result<Resp> call(ServiceMethod<Resp, Req> method, Req request) {
        return call(method, request, Map.of(), 0);
    }

    /** Calls and waits; {@code timeoutMs} 0 sends no deadline. */
    <Req, Resp> Result<Resp> call(ServiceMethod<Resp, Req> method, Req request, Map<String, String> headers, long timeoutMs) {
        CompletableFuture<Result<Resp>> out = new CompletableFuture<>();
        long started = System.nanoTime();
        grpc.request(address, method).compose(req -> {
            headers.forEach((k, v) -> req.headers().set(k, v));
            if (timeoutMs > 0) {
                req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
            }
            return req.end(request).compose(v -> req.response().compose(resp -> resp.last().transform(ar ->
                    Future.succeededFuture(new Result<>(resp.status(), resp.statusMessage(), ar.succeeded() ? ar.result() : null,
                            (System.nanoTime() - started) / 1_000_000)))));
        }).onSuccess(out::complete).onFailure(out::completeExceptionally);
        try {
            return out.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("call " + method.methodName() + " failed: " + e, e);
        }
    }

    /** An open Watch stream. */
    static final class Watch {
        final BlockingQueue<WatchResponse> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<GrpcStatus> status = new CompletableFuture<>();
        final CompletableFuture<GrpcClientRequest<WatchRequest, WatchResponse>> request = new CompletableFuture<>();

        /** How the stream ended, waited for at most 20 s. */
        GrpcStatus ended() throws Exception {
            try {
                return status.get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the Watch stream did not end within 20 s (" + messages.size() + " messages)");
            }
        }

        WatchResponse next() throws InterruptedException {
            WatchResponse m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no watch message within 10 s (stream status: " + status.getNow(null) + ")");
            }
            return m;
        }

        /** Resets the stream (once it is open, waited for at most 20 s). */
        void cancel() throws Exception {
            request.get(20, TimeUnit.SECONDS).cancel();
        }
    }

    Watch watch(String clusterId, Map<String, String> headers, long timeoutMs) {
        Watch w = new Watch();
        grpc.request(address, ClusterGrpcClient.Watch).onSuccess(req -> {
            headers.forEach((k, v) -> req.headers().set(k, v));
            if (timeoutMs > 0) {
                req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
            }
            req.end(WatchRequest.newBuilder().setClusterId(clusterId).build());
            w.request.complete(req);
            req.response().onSuccess(resp -> {
                resp.handler(w.messages::add);
                resp.endHandler(v -> w.status.complete(resp.status()));
                resp.exceptionHandler(e -> w.status.complete(resp.status() != null ? resp.status() : GrpcStatus.UNKNOWN));
            }).onFailure(e -> w.status.complete(GrpcStatus.UNAVAILABLE));
        }).onFailure(e -> w.status.complete(GrpcStatus.UNAVAILABLE));
        return w;
    }

    @Override
    public void close() throws Exception {
        grpc.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
