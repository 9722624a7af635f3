package dev.discoveryd.service;

import dev.discoveryd.service.grpc.ClusterApi;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

import java.util.function.Consumer;

/**
 * One event loop's share of the main listener: gRPC for gRPC requests, the web pages for anything else. Several
 * instances listen on the same port and Vert.x spreads connections over them.
 */
final class GrpcVerticle extends VerticleBase {
    static final long MAX_MESSAGE_BYTES = 64 * 1024;

    private final ClusterApi api;
    private final HttpServerOptions options;
    private final Handler<HttpServerRequest> web;
    private final Consumer<HttpServer> started;

    GrpcVerticle(ClusterApi api, HttpServerOptions options, Handler<HttpServerRequest> web, Consumer<HttpServer> started) {
        this.api = api;
        this.options = options;
        this.web = web;
        this.started = started;
    }

    @Override
    public Future<?> start() {
        GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES));
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
                .listen()
                .onSuccess(started::accept);
    }
}
