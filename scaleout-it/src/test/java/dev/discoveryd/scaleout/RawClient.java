package dev.discoveryd.scaleout;

import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Plain gRPC calls to one instance or another, for what the node client does not show (statuses, owners). */
final class RawClient implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final GrpcClient grpc = GrpcClient.client(vertx, new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));

    record Result<T>(GrpcStatus status, String message, T reply) {
        boolean ok() {
            return status == GrpcStatus.OK;
        }
    }

    <Req, Resp> Result<Resp> call(String endpoint, ServiceMethod<Resp, Req> method, Req request) {
        int colon = endpoint.lastIndexOf(':');
        SocketAddress address = SocketAddress.inetSocketAddress(Integer.parseInt(endpoint.substring(colon + 1)),
                endpoint.substring(0, colon));
        CompletableFuture<Result<Resp>> out = new CompletableFuture<>();
        grpc.request(address, method).compose(req -> {
            req.timeout(10, TimeUnit.SECONDS);
            return req.end(request).compose(v -> req.response().compose(resp -> resp.last().transform(ar ->
                    Future.succeededFuture(new Result<>(resp.status(), resp.statusMessage(),
                            ar.succeeded() ? ar.result() : null)))));
        }).onSuccess(out::complete).onFailure(out::completeExceptionally);
        try {
            return out.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new Result<>(GrpcStatus.UNAVAILABLE, e.toString(), null);
        }
    }

    /** Hello at {@code endpoint}; the redirect target, {@code endpoint} itself when it serves, null on failure. */
    String ownerVia(String endpoint, String cluster) {
        Result<HelloResponse> hello = call(endpoint, ClusterGrpcClient.Hello,
                HelloRequest.newBuilder().setClusterId(cluster).setClientVersion("v1.11.0").build());
        if (!hello.ok()) {
            return null;
        }
        return hello.reply().hasRedirect() ? hello.reply().getRedirect().getEndpoint() : endpoint;
    }

    Result<?> update(String endpoint, String cluster, String affiliate) {
        return call(endpoint, ClusterGrpcClient.AffiliateUpdate, AffiliateUpdateRequest.newBuilder()
                .setClusterId(cluster).setAffiliateId(affiliate)
                .setAffiliateData(ByteString.copyFromUtf8("data of " + affiliate))
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1200)).build());
    }

    Result<ListResponse> list(String endpoint, String cluster) {
        return call(endpoint, ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId(cluster).build());
    }

    @Override
    public void close() throws Exception {
        grpc.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
