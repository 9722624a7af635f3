package dev.discoveryd.ops;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One simulated Talos node: its own HTTP/2 connection carrying Hello, its AffiliateUpdate refreshes and one Watch on
 * its cluster, from its own client address (X-Real-IP, as a proxy in front of the service would set it). The data it
 * publishes starts with the send time, so every other node of the cluster can time the change's delivery.
 */
final class FleetNode {
    private static final long DEADLINE_SECONDS = 10;

    private final Vertx vertx;
    private final SocketAddress target;
    private final FleetStats stats;
    private final String cluster;
    private final String id;
    private final String ip;
    private final int dataBytes;
    private final long ttlSeconds;
    private final ByteString[] endpoints;
    private final boolean tls;
    private GrpcClient grpc;
    private volatile boolean watching;

    FleetNode(Vertx vertx, SocketAddress target, FleetStats stats, int clusterIndex, int nodeIndex, int globalIndex,
              int dataBytes, long ttlSeconds, boolean tls) {
        this.vertx = vertx;
        this.tls = tls;
        this.target = target;
        this.stats = stats;
        this.cluster = "fleet-cluster-" + clusterIndex;
        this.id = "node-" + nodeIndex;
        this.ip = "10." + ((globalIndex >> 16) & 255) + "." + ((globalIndex >> 8) & 255) + "." + (globalIndex & 255);
        this.dataBytes = Math.max(8, dataBytes);
        this.ttlSeconds = ttlSeconds;
        byte[] v4 = {10, (byte) (globalIndex >> 16), (byte) (globalIndex >> 8), (byte) globalIndex, 0x0c, (byte) 0xa0};
        this.endpoints = new ByteString[]{ByteString.copyFrom(v4), ByteString.copyFromUtf8("fd00::" + globalIndex)};
    }

    boolean watching() {
        return watching;
    }

    /** A fresh connection: Hello, the node's AffiliateUpdate, then its Watch until the snapshot message arrives. */
    Future<Void> connect() {
        HelloRequest hello = HelloRequest.newBuilder().setClusterId(cluster).setClientVersion("v1.9.0-fleet").build();
        // Building a client (its SSL context above all) is slow blocking work: a worker does it, not the event loop.
        return vertx.executeBlocking(this::newClient, false).compose(client -> {
            grpc = client;
            return unary(FleetStats.HELLO, ClusterGrpcClient.Hello, hello);
        }).compose(ok -> update(FleetStats.CONNECT_UPDATE)).compose(ok -> watch());
    }

    private GrpcClient newClient() {
        HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2);
        // TLS trusts any certificate: the generator measures the service, not a PKI.
        return GrpcClient.client(vertx, tls ? options.setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false)
                : options.setHttp2ClearTextUpgrade(false));
    }

    /** The TTL/2 refresh Talos does: same endpoints, new data (stamped), TTL extended. */
    Future<Void> refresh() {
        return update(FleetStats.UPDATE);
    }

    private Future<Void> update(String name) {
        ByteBuffer data = ByteBuffer.allocate(dataBytes).putLong(System.nanoTime());
        AffiliateUpdateRequest update = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(id)
                .setAffiliateData(ByteString.copyFrom(data.array())).addAffiliateEndpoints(endpoints[0])
                .addAffiliateEndpoints(endpoints[1])
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(ttlSeconds)).build();
        return unary(name, ClusterGrpcClient.AffiliateUpdate, update).mapEmpty();
    }

    /** Drops the connection (its Watch with it), as a node does when its link or the service's pod goes away. */
    Future<Void> disconnect() {
        watching = false;
        GrpcClient c = grpc;
        grpc = null;
        return c == null ? Future.succeededFuture() : c.close();
    }

    private Future<Void> watch() {
        Promise<Void> snapshot = Promise.promise();
        long t0 = System.nanoTime();
        grpc.request(target, ClusterGrpcClient.Watch).onSuccess(req -> {
            req.headers().set("x-real-ip", ip);
            req.end(WatchRequest.newBuilder().setClusterId(cluster).build());
            req.response().onSuccess(resp -> {
                boolean[] first = {true};
                resp.handler(m -> {
                    if (first[0]) {
                        first[0] = false;
                        watching = true;
                        stats.rpc(FleetStats.WATCH_OPEN, System.nanoTime() - t0, "OK");
                        snapshot.tryComplete();
                    } else {
                        delivered(m);
                    }
                });
                resp.endHandler(v -> ended(resp.status(), snapshot));
                resp.exceptionHandler(e -> ended(resp.status(), snapshot));
            }).onFailure(e -> ended(null, snapshot));
        }).onFailure(e -> ended(null, snapshot));
        return snapshot.future();
    }

    private void delivered(WatchResponse m) {
        if (m.getDeleted()) {
            return;
        }
        long now = System.nanoTime();
        for (Affiliate a : m.getAffiliatesList()) {
            if (!a.getId().equals(id) && a.getData().size() >= 8) {
                stats.delivered(now - a.getData().asReadOnlyByteBuffer().getLong());
            }
        }
    }

    private void ended(GrpcStatus status, Promise<Void> snapshot) {
        boolean wasWatching = watching;
        watching = false;
        String outcome = status == null ? "transport" : status.name();
        if (wasWatching || !snapshot.future().isComplete()) {
            stats.rpc("Watch ended", 0, outcome);
        }
        snapshot.tryFail("watch of " + cluster + "/" + id + " ended before its snapshot: " + outcome);
    }

    private <Req, Resp> Future<Resp> unary(String name, ServiceMethod<Resp, Req> method, Req request) {
        long t0 = System.nanoTime();
        if (grpc == null) {
            return Future.failedFuture("not connected");
        }
        return grpc.request(target, method).compose(req -> {
            req.headers().set("x-real-ip", ip);
            req.timeout(DEADLINE_SECONDS, TimeUnit.SECONDS);
            return req.end(request).compose(v -> req.response()).compose(resp -> resp.last().transform(ar -> {
                GrpcStatus status = resp.status() == null ? GrpcStatus.UNKNOWN : resp.status();
                stats.rpc(name, System.nanoTime() - t0, status == GrpcStatus.OK ? "OK" : status.name());
                return status == GrpcStatus.OK && ar.succeeded() ? Future.succeededFuture(ar.result())
                        : Future.<Resp>failedFuture(new Refused(name + " " + status));
            }));
        }).onFailure(e -> {
            if (!(e instanceof Refused)) {
                stats.rpc(name, System.nanoTime() - t0, "transport");
            }
        });
    }

    /** The service answered with a status other than OK (already counted). */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
