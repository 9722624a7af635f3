package dev.discoveryd.service;

import dev.discoveryd.service.grpc.ClusterApi;
import dev.discoveryd.service.grpc.FlushBatching;
import dev.discoveryd.service.grpc.GrpcRouter;
import dev.discoveryd.service.logging.ConnectionErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Consumer;

/**
 * One event loop's share of the main listener: gRPC for gRPC requests, the web pages for anything else. Several
 * instances listen on the same port and Vert.x spreads connections over them.
 */
final class GrpcVerticle extends VerticleBase {
    private final ClusterApi api;
    private final HttpServerOptions options;
    private final Handler<HttpServerRequest> web;
    private final int maxMessageBytes;
    private final Consumer<HttpServer> started;

    GrpcVerticle(ClusterApi api, HttpServerOptions options, Handler<HttpServerRequest> web, int maxMessageBytes,
                 Consumer<HttpServer> started) {
        this.api = api;
        this.options = options;
        this.web = web;
        this.maxMessageBytes = maxMessageBytes;
        this.started = started;
    }

    @Override
    public Future<?> start() {
        GrpcRouter grpc = new GrpcRouter(ClusterApi.SERVICE, maxMessageBytes);
        api.bind(grpc);
        return vertx.createHttpServer(options)
                .requestHandler(request -> {
                    String type = request.getHeader("content-type");
                    if (type != null && type.startsWith("application/grpc")) {
                        grpc.handle(request);
                    } else {
                        web.handle(request);
                    }
                })
                .exceptionHandler(ConnectionErrors::beforeHttp)
                .connectionHandler(c -> {
                    c.exceptionHandler(ConnectionErrors::onConnection);
                    FlushBatching.install(c);
                })
                .listen()
                .onSuccess(started::accept);
    }
}
