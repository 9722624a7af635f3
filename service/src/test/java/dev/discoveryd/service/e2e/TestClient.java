package dev.discoveryd.service.e2e;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real gRPC client for end-to-end tests, with blocking helpers. */
final class TestClient implements AutoCloseable {
    final Vertx vertx;
    final GrpcClient grpc;
    final SocketAddress address;

    TestClient(int port) {
        this(port, 0);
    }

    /**
     * A client whose HTTP/2 receive window, per stream and per connection, is {@code window} bytes (0: the HTTP/2
     * default of 64 KiB). grpc-go, the Talos client, grows its windows from 64 KiB to megabytes by measuring the
     * bandwidth-delay product; a large window models such a client that reads as fast as it can.
     */
    TestClient(int port, int window) {
        vertx = Vertx.vertx();
        HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false);
        if (window > 0) {
            options.setInitialSettings(new Http2Settings().setInitialWindowSize(window))
                    .setHttp2ConnectionWindowSize(window);
        }
        grpc = GrpcClient.client(vertx, options);
        address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    }

    record Result<T>(GrpcStatus status, String message, T reply) {
    }

    <Req, Resp> Result<Resp> call(ServiceMethod<Resp, Req> method, Req request) {
        return call(method, request, Map.of());
    }

    <Req, Resp> Result<Resp> call(ServiceMethod<Resp, Req> method, Req request, Map<String, String> headers) {
        CompletableFuture<Result<Resp>> out = new CompletableFuture<>();
        grpc.request(address, method).compose(req -> {
            headers.forEach((k, v) -> req.headers().set(k, v));
            return req.end(request).compose(v -> req.response().compose(resp -> resp.last().transform(ar ->
                    Future.succeededFuture(new Result<>(resp.status(), resp.statusMessage(), ar.succeeded() ? ar.result() : null)))));
        }).onSuccess(out::complete).onFailure(out::completeExceptionally);
        try {
            return out.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("call " + method.methodName() + " failed: " + e, e);
        }
    }

    /** Opens a Watch stream; messages arrive in {@link Watch#messages}. */
    Watch watch(String clusterId) {
        Watch w = new Watch();
        Future<GrpcClientRequest<WatchRequest, WatchResponse>> f = grpc.request(address, ClusterGrpcClient.Watch);
        f.onSuccess(req -> {
            w.request = req;
            req.end(WatchRequest.newBuilder().setClusterId(clusterId).build());
            req.response().onSuccess(resp -> {
                w.response = resp;
                resp.handler(w.messages::add);
                resp.endHandler(v -> w.status.complete(resp.status()));
                resp.exceptionHandler(e -> w.status.complete(resp.status() != null ? resp.status() : GrpcStatus.UNKNOWN));
                w.opened.complete(null);
            }).onFailure(w.opened::completeExceptionally);
        }).onFailure(w.opened::completeExceptionally);
        return w;
    }

    static final class Watch {
        final BlockingQueue<WatchResponse> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<GrpcStatus> status = new CompletableFuture<>();
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        volatile GrpcClientRequest<WatchRequest, WatchResponse> request;
        volatile GrpcClientResponse<WatchRequest, WatchResponse> response;

        WatchResponse next() throws InterruptedException {
            WatchResponse m = messages.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no watch message within 10 s; the stream "
                        + (status.isDone() ? "ended with " + status.join() : "is still open"));
            }
            return m;
        }

        WatchResponse nextOrNull(long millis) throws InterruptedException {
            return messages.poll(millis, TimeUnit.MILLISECONDS);
        }

        void cancel() {
            request.cancel();
        }
    }

    @Override
    public void close() throws Exception {
        grpc.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
