package dev.discoveryd.service.web;

import dev.discoveryd.service.config.ListenAddress;
import dev.discoveryd.service.logging.ConnectionErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/** A plain HTTP/1.1 + h2c listener for one of the side ports (pages, metrics). */
public final class WebListener {
    private WebListener() {
    }

    public static Future<HttpServer> listen(Vertx vertx, ListenAddress address, Handler<HttpServerRequest> handler) {
        HttpServerOptions options = new HttpServerOptions().setHost(address.host()).setPort(address.port())
                .setHttp2ClearTextEnabled(true).setIdleTimeout(120);
        return vertx.createHttpServer(options)
                .requestHandler(handler)
                .exceptionHandler(ConnectionErrors::beforeHttp)
                .connectionHandler(c -> c.exceptionHandler(ConnectionErrors::onConnection))
                .listen();
    }
}
