package dev.discoveryd.nodeclient.client;

import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateDeleteResponse;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.AffiliateUpdateResponse;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.nodeclient.state.ServerAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.ServiceMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The Cluster RPCs against one server over one HTTP/2 client, each with its own deadline. */
public final class ClusterRpc {
    /** An open Watch stream and the connection carrying it (for keepalive pings). */
    public record OpenWatch(GrpcClientResponse<WatchRequest, WatchResponse> response, HttpConnection connection) {
    }

    private final GrpcClient grpc;
    private final SocketAddress address;
    private final ServerAddress server;

    public ClusterRpc(Vertx vertx, ServerAddress server, DiscoveryClientOptions options) {
        this.server = server;
        HttpClientOptions http = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setConnectTimeout((int) options.connectTimeout().toMillis())
                .setDefaultHost(server.host())
                .setDefaultPort(server.port());
        if (server.tls()) {
            http.setSsl(true).setUseAlpn(true).setForceSni(true);
            if (options.trustAll()) {
                http.setTrustAll(true).setVerifyHost(false);
            } else {
                http.setVerifyHost(true);
                if (options.caCertificatePath() != null) {
                    http.setTrustOptions(new PemTrustOptions().addCertPath(options.caCertificatePath()));
                }
            }
        }
        this.grpc = GrpcClient.client(vertx, new GrpcClientOptions().setScheduleDeadlineAutomatically(true), http);
        this.address = SocketAddress.inetSocketAddress(server.port(), server.host());
    }

    public ServerAddress server() {
        return server;
    }

    public Future<HelloResponse> hello(HelloRequest request, Duration timeout) {
        return unary(ClusterGrpcClient.Hello, request, timeout);
    }

    public Future<AffiliateUpdateResponse> update(AffiliateUpdateRequest request, Duration timeout) {
        return unary(ClusterGrpcClient.AffiliateUpdate, request, timeout);
    }

    public Future<AffiliateDeleteResponse> delete(AffiliateDeleteRequest request, Duration timeout) {
        return unary(ClusterGrpcClient.AffiliateDelete, request, timeout);
    }

    public Future<ListResponse> list(ListRequest request, Duration timeout) {
        return unary(ClusterGrpcClient.List, request, timeout);
    }

    /** Opens a Watch stream; the caller installs handlers on the response right away. */
    public Future<OpenWatch> watch(WatchRequest request) {
        return grpc.request(address, ClusterGrpcClient.Watch)
                .compose(req -> req.send(request).map(resp -> new OpenWatch(resp, req.connection())));
    }

    public Future<Void> close() {
        return grpc.close();
    }

    private <Req, Resp> Future<Resp> unary(ServiceMethod<Resp, Req> method, Req request, Duration timeout) {
        return grpc.request(address, method).compose(req -> {
            req.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return req.send(request).compose(resp -> resp.last());
        });
    }
}
