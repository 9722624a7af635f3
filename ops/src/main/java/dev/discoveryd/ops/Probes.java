package dev.discoveryd.ops;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** gRPC clients for {@link Compare}: its load clients and the start-to-first-Hello probe. */
final class Probes {
    private Probes() {
    }

    /** Milliseconds from process start to the first OK Hello, polled from this (warm) process. */
    static double firstHello(Vertx vertx, Process server, SocketAddress address, long started, Path log)
            throws Exception {
        HelloRequest hello = HelloRequest.newBuilder().setClusterId("compare").setClientVersion("compare").build();
        while (true) {
            if (!server.isAlive() || System.nanoTime() - started > TimeUnit.SECONDS.toNanos(180)) {
                throw new IllegalStateException("no Hello answered: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            // A fresh client per attempt: a refused connection is not retried by the same one.
            GrpcClient poll = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false).setConnectTimeout(1000));
            try {
                ClusterGrpcClient.create(poll, address).hello(hello).toCompletionStage().toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
                return (System.nanoTime() - started) / 1e6;
            } catch (Exception notYet) {
                Thread.sleep(5);
            } finally {
                poll.close();
            }
        }
    }

    static List<ClusterGrpcClient> clients(Vertx vertx, SocketAddress address, int n, List<GrpcClient> all) {
        List<ClusterGrpcClient> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GrpcClient g = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false).setConnectTimeout(5000));
            all.add(g);
            out.add(ClusterGrpcClient.create(g, address));
        }
        return out;
    }
}
