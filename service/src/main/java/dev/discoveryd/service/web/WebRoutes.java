package dev.discoveryd.service.web;

import dev.discoveryd.service.grpc.Admission;
import dev.discoveryd.service.grpc.ClientIp;
import dev.discoveryd.service.metrics.ServiceMetrics;
import dev.discoveryd.service.metrics.StateMetrics;
import dev.discoveryd.service.state.ClusterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/** The two HTTP surfaces: the pages (landing port, and non-gRPC requests on the main port) and the metrics port. */
public final class WebRoutes {
    private WebRoutes() {
    }

    /** /, /inspect, /stats (rate limited per address like the RPCs), /healthz, /readyz. */
    public static Router pages(Vertx vertx, ClusterRegistry registry, StateMetrics state, Readiness readiness,
                               Duration statsCache, Admission admission, ClientIp clientIp) {
        Router router = Router.router(vertx);
        HealthEndpoints.mount(router, readiness);
        router.route().handler(new PageRateLimit(admission, clientIp));
        router.get("/").handler(new HomePage());
        router.get("/inspect").handler(new InspectPage(registry));
        router.get("/stats").handler(new StatsEndpoint(state, statsCache, System::nanoTime));
        router.route().last().handler(WebRoutes::notFound);
        return router;
    }

    /** /metrics, /healthz, /readyz. */
    public static Router metrics(Vertx vertx, ServiceMetrics metrics, Readiness readiness) {
        Router router = Router.router(vertx);
        // Scraping walks every meter: off the event loop.
        router.get("/metrics").handler(ctx -> vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("content-type", ServiceMetrics.CONTENT_TYPE).end(ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        }));
        HealthEndpoints.mount(router, readiness);
        router.route().last().handler(WebRoutes::notFound);
        return router;
    }

    private static void notFound(RoutingContext ctx) {
        ctx.response().setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8").end("not found\n");
    }
}
