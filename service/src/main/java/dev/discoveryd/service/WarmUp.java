package dev.discoveryd.service;

import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.service.grpc.ClientIp;
import dev.discoveryd.service.grpc.ClusterApi;
import dev.discoveryd.service.grpc.WatchBudget;
import dev.discoveryd.service.metrics.GrpcMetrics;
import dev.discoveryd.service.ratelimit.RateLimitAdmission;
import dev.discoveryd.service.ratelimit.WatchGate;
import dev.discoveryd.service.startup.WarmUpClient;
import dev.discoveryd.service.state.ClusterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Warms the request path before the gRPC port opens, so that the first burst of reconnecting nodes meets compiled
 * code: Hellos over loopback HTTP/2 through a private listener with the very same handler classes (gRPC decoding, the
 * API, rate limiting, metrics), on its own throwaway rate limiter and meters, so nothing an operator sees counts them.
 * Hello reads no state, so this runs on the event loops while the main thread rebuilds the state.
 */
final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    static final String HELLO_PATH = "/sidero.discovery.server.Cluster/Hello";
    /** Enough calls for the JIT to compile the Hello path (C1 after a few hundred invocations), bounded in time. */
    static final int HELLOS = 1000;
    static final Duration BUDGET = Duration.ofSeconds(2);

    private WarmUp() {
    }

    /** Starts warming; completes with the number of Hellos answered OK (never fails: a cold start is still a start). */
    static Future<Integer> start(Vertx vertx, ClusterRegistry registry, int watchQueue, int maxMessageBytes) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GrpcMetrics metrics = new GrpcMetrics(meters);
        RateLimitAdmission limits = new RateLimitAdmission(vertx, 1e9, 1_000_000, meters);
        ClientIp clientIp = new ClientIp(false, false);
        WatchGate gate = new WatchGate(0, meters);
        WatchBudget budget = new WatchBudget(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, meters);
        ClusterApi api = new ClusterApi(registry, clientIp, limits, metrics, "", watchQueue, gate, budget, false);
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setHttp2ClearTextEnabled(true).setTcpNoDelay(true);
        Promise<HttpServer> listening = Promise.promise();
        byte[] hello = HelloRequest.newBuilder().setClusterId("warm-up").setClientVersion("warm-up").build().toByteArray();
        return vertx.deployVerticle(new GrpcVerticle(api, options, r -> r.response().setStatusCode(404).end(),
                        maxMessageBytes, listening::tryComplete))
                .compose(id -> listening.future().compose(server -> {
                    WarmUpClient client = new WarmUpClient(vertx, server.actualPort(), 2);
                    // The first call loads the path's classes, however long that takes; the budget starts after it.
                    return client.call(HELLO_PATH, hello).otherwise(-1)
                            .compose(first -> client.repeat(HELLO_PATH, hello, HELLOS, 32, System.nanoTime() + BUDGET.toNanos()))
                            .eventually(() -> {
                                if (client.firstFailure() != null) {
                                    LOG.warn("warm-up: a Hello over loopback failed: {}", client.firstFailure());
                                }
                                client.close();
                                return vertx.undeploy(id);
                            });
                }))
                .otherwise(0)
                .onComplete(done -> {
                    limits.close();
                    meters.close();
                });
    }
}
