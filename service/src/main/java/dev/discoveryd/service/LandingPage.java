package dev.discoveryd.service;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/** What a person who finds this address in their traffic sees: what the service is, and that it cannot read the data. */
final class LandingPage implements Handler<HttpServerRequest> {
    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>discoveryd: cluster discovery service</title></head>
            <body>
            <h1>Cluster discovery service</h1>
            <p>This server helps the machines of Kubernetes clusters running Talos Linux find each other, so that they can
            build an encrypted WireGuard mesh (KubeSpan) between them.</p>
            <p>Each machine sends its addresses here encrypted with its cluster's secret key, which this service never has:
            it stores and relays opaque bytes only and cannot read them.</p>
            <p>If you see traffic to this address from your network, a machine there is taking part in such a cluster.</p>
            </body></html>
            """;

    @Override
    public void handle(HttpServerRequest request) {
        if (!"/".equals(request.path())) {
            request.response().setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8").end("not found\n");
            return;
        }
        request.response().putHeader("content-type", "text/html; charset=utf-8").end(PAGE);
    }
}
