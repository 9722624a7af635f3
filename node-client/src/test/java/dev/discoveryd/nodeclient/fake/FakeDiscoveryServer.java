package dev.discoveryd.nodeclient.fake;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateDeleteResponse;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.AffiliateUpdateResponse;
import dev.discoveryd.api.server.ClusterGrpcService;
import dev.discoveryd.api.server.ClusterService;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.api.server.RedirectMessage;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Cluster service on 127.0.0.1 for client tests: real wire protocol, plus knobs a real
 * server does not have (redirects, garbage injection, aborting watchers, restarts on the same port).
 */
public final class FakeDiscoveryServer implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final Context loop = vertx.getOrCreateContext();
    private final KeyCertOptions tls;
    private final FakeClusterState state = new FakeClusterState();
    private final AtomicInteger hellos = new AtomicInteger();
    private final AtomicInteger pings = new AtomicInteger();
    private final List<AffiliateUpdateRequest> updates = new CopyOnWriteArrayList<>();
    private volatile String redirect;
    private volatile GrpcStatus helloFailure;
    private HttpServer server;
    private int port;

    private FakeDiscoveryServer(KeyCertOptions tls) {
        this.tls = tls;
    }

    public static FakeDiscoveryServer plaintext() {
        return new FakeDiscoveryServer(null).start();
    }

    public static FakeDiscoveryServer tls(KeyCertOptions keyCert) {
        return new FakeDiscoveryServer(keyCert).start();
    }

    /** Listens again (same port after the first start); state starts empty, as after a restart. */
    public synchronized FakeDiscoveryServer start() {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port);
        if (tls != null) {
            options.setSsl(true).setUseAlpn(true).setKeyCertOptions(tls);
        }
        GrpcServer grpc = GrpcServer.server(vertx).addService(ClusterGrpcService.of(new Service()));
        server = vertx.createHttpServer(options)
                .connectionHandler(conn -> conn.pingHandler(data -> pings.incrementAndGet()))
                .requestHandler(grpc);
        // Listening from the loop context keeps every handler and test knob on one thread.
        port = await(onLoop(() -> server.listen())).actualPort();
        return this;
    }

    /** Closes every connection and forgets all state, like a crashed server. */
    public synchronized void stop() {
        await(onLoop(() -> server.close()));
        onLoop(() -> {
            state.clear();
            return null;
        });
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port;
    }

    public void redirectTo(String endpoint) {
        this.redirect = endpoint;
    }

    public void failHellosWith(GrpcStatus status) {
        this.helloFailure = status;
    }

    public int hellos() {
        return hellos.get();
    }

    public int pings() {
        return pings.get();
    }

    public List<AffiliateUpdateRequest> updates() {
        return List.copyOf(updates);
    }

    public List<dev.discoveryd.api.server.Affiliate> affiliates(String clusterId) {
        return onLoop(() -> List.copyOf(state.cluster(clusterId).values()));
    }

    /** Sends an arbitrary message to every watcher of the cluster (garbage, forged deletes...). */
    public void inject(String clusterId, WatchResponse message) {
        onLoop(() -> {
            state.broadcast(clusterId, message);
            return null;
        });
    }

    /** Stores a raw affiliate (any bytes) and tells watchers, bypassing all validation. */
    public void put(String clusterId, dev.discoveryd.api.server.Affiliate raw) {
        onLoop(() -> {
            state.cluster(clusterId).put(raw.getId(), raw);
            state.broadcast(clusterId, WatchResponse.newBuilder().addAffiliates(raw).build());
            return null;
        });
    }

    /** Removes an affiliate as expiry would, telling watchers. */
    public void expire(String clusterId, String affiliateId) {
        onLoop(() -> {
            state.delete(clusterId, affiliateId);
            return null;
        });
    }

    /** Ends every watch stream with ABORTED, as a server does to a watcher that fell behind. */
    public void abortWatchers() {
        onLoop(() -> {
            for (FakeClusterState.Watcher w : state.watchers) {
                ((GrpcServerResponse<?, ?>) w.stream()).status(GrpcStatus.ABORTED).end();
            }
            state.watchers.clear();
            return null;
        });
    }

    public int watchers() {
        return onLoop(state.watchers::size);
    }

    @Override
    public void close() {
        await(vertx.close());
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                result.complete(action.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.join();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Service extends ClusterService {
        @Override
        public Future<HelloResponse> hello(HelloRequest request) {
            hellos.incrementAndGet();
            if (helloFailure != null) {
                return Future.failedFuture(new io.vertx.grpc.server.StatusException(helloFailure));
            }
            HelloResponse.Builder response = HelloResponse.newBuilder()
                    .setClientIp(ByteString.copyFrom(new byte[] {127, 0, 0, 1}));
            if (redirect != null) {
                response.setRedirect(RedirectMessage.newBuilder().setEndpoint(redirect));
            }
            return Future.succeededFuture(response.build());
        }

        @Override
        public Future<AffiliateUpdateResponse> affiliateUpdate(AffiliateUpdateRequest request) {
            updates.add(request);
            state.update(request);
            return Future.succeededFuture(AffiliateUpdateResponse.getDefaultInstance());
        }

        @Override
        public Future<AffiliateDeleteResponse> affiliateDelete(AffiliateDeleteRequest request) {
            state.delete(request.getClusterId(), request.getAffiliateId());
            return Future.succeededFuture(AffiliateDeleteResponse.getDefaultInstance());
        }

        @Override
        public Future<ListResponse> list(ListRequest request) {
            return Future.succeededFuture(ListResponse.newBuilder()
                    .addAllAffiliates(state.cluster(request.getClusterId()).values()).build());
        }

        @Override
        protected void watch(WatchRequest request, WriteStream<WatchResponse> response) {
            response.write(state.snapshot(request.getClusterId()));
            FakeClusterState.Watcher watcher = new FakeClusterState.Watcher(request.getClusterId(), response);
            state.watchers.add(watcher);
            ((GrpcServerResponse<?, ?>) response).exceptionHandler(err -> state.watchers.remove(watcher));
        }
    }
}
