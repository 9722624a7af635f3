package dev.discoveryd.service.web;

import dev.discoveryd.service.grpc.Admission;
import dev.discoveryd.service.grpc.ClientIp;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The pages take tokens from the same per-address buckets as the RPCs: a page that finds none waits briefly, then is
 * refused with 429. Health probes are not limited.
 */
final class PageRateLimit implements Handler<RoutingContext> {
    /** How long a page request may wait for a token. */
    static final long MAX_WAIT_MS = 1000;

    private final Admission admission;
    private final ClientIp clientIp;

    PageRateLimit(Admission admission, ClientIp clientIp) {
        this.admission = admission;
        this.clientIp = clientIp;
    }

    @Override
    public void handle(RoutingContext ctx) {
        byte[] ip = clientIp.resolve(ctx.request().headers(), ctx.request().remoteAddress());
        Context context = Vertx.currentContext();
        admission.admit(ip, MAX_WAIT_MS).whenComplete((v, refused) -> context.runOnContext(x -> {
            if (refused == null) {
                ctx.next();
            } else if (!ctx.response().closed()) {
                ctx.response().setStatusCode(429).putHeader("retry-after", "1")
                        .putHeader("content-type", "text/plain; charset=utf-8").end("rate limit exceeded; slow down\n");
            }
        }));
    }
}
