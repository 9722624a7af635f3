package dev.discoveryd.service.web;

import io.vertx.ext.web.Router;

/** /healthz (the process answers) and /readyz (it should get traffic), for probes and load balancers. */
final class HealthEndpoints {
    private HealthEndpoints() {
    }

    static void mount(Router router, Readiness readiness) {
        router.get("/healthz").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; charset=utf-8")
                .putHeader("cache-control", "no-store").end("ok\n"));
        router.get("/readyz").handler(ctx -> ctx.response().setStatusCode(readiness.isReady() ? 200 : 503)
                .putHeader("content-type", "text/plain; charset=utf-8").putHeader("cache-control", "no-store")
                .end(readiness.describe() + "\n"));
    }
}
