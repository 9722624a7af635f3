package dev.discoveryd.service.web;

import dev.discoveryd.service.metrics.StateMetrics;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/** /stats: totals as JSON, computed at most once per cache period, readable from any origin. */
final class StatsEndpoint implements Handler<RoutingContext> {
    private final StateMetrics state;
    private final Duration cacheFor;
    private final LongSupplier nanoTime;
    private volatile Cached cached;

    private record Cached(String json, long computedAt) {
    }

    StatsEndpoint(StateMetrics state, Duration cacheFor, LongSupplier nanoTime) {
        this.state = state;
        this.cacheFor = cacheFor;
        this.nanoTime = nanoTime;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Cached c = current();
        ctx.response()
                .putHeader("content-type", "application/json")
                .putHeader("access-control-allow-origin", "*")
                .putHeader("cache-control", "public, max-age=" + cacheFor.toSeconds())
                .end(c.json());
    }

    private Cached current() {
        long now = nanoTime.getAsLong();
        Cached c = cached;
        if (c == null || now - c.computedAt() >= cacheFor.toNanos()) {
            String json = new JsonObject()
                    .put("affiliates", state.affiliates())
                    .put("clusters", state.clusters())
                    .put("endpoints", state.endpoints())
                    .put("subscriptions", state.subscriptions())
                    .put("generated", Instant.now().toString())
                    .encode();
            c = new Cached(json, now);
            cached = c;
        }
        return c;
    }
}
