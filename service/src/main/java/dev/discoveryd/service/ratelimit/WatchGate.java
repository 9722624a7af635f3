package dev.discoveryd.service.ratelimit;

import dev.discoveryd.service.grpc.ApiObserver;
import dev.discoveryd.service.grpc.ClientIp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the Watch streams one client IP may hold open at once. Sits in front of the gRPC server: a Watch over the
 * limit is answered RESOURCE_EXHAUSTED before it reaches the API; an admitted one gives its slot back when its stream
 * ends or is reset. Only addresses with open streams are tracked.
 */
public final class WatchGate {
    private static final Logger LOG = LoggerFactory.getLogger(WatchGate.class);
    private static final String WATCH_PATH = "/sidero.discovery.server.Cluster/Watch";

    private final ClientIp clientIp;
    private final int limit;
    private final ApiObserver observer;
    private final Counter rejected;
    private final Map<IpKey, Integer> open = new ConcurrentHashMap<>();

    /** {@code limit} 0 means unlimited. */
    public WatchGate(ClientIp clientIp, int limit, ApiObserver observer, MeterRegistry meters) {
        this.clientIp = clientIp;
        this.limit = limit;
        this.observer = observer;
        this.rejected = Counter.builder("discovery.ratelimit.watch.rejected")
                .description("Watch streams refused because their client IP had too many open").register(meters);
    }

    /** Passes {@code request} to {@code grpc} unless it opens a Watch its client IP has no slot for. */
    public void handle(HttpServerRequest request, Handler<HttpServerRequest> grpc) {
        if (limit == 0 || !WATCH_PATH.equals(request.path())) {
            grpc.handle(request);
            return;
        }
        byte[] ip = clientIp.resolve(request.headers(), request.remoteAddress());
        IpKey key = IpKey.of(ip);
        if (!acquire(key)) {
            long started = System.nanoTime();
            observer.started("Watch", true);
            rejected.increment();
            LOG.debug("watch limit: refused a Watch from {}", ClientIp.text(ip));
            // A trailers-only gRPC answer: the status travels in the one header frame that ends the stream.
            request.response()
                    .putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", Integer.toString(GrpcStatus.RESOURCE_EXHAUSTED.code))
                    .putHeader("grpc-message", "too many open Watch streams from this address")
                    .end();
            observer.handled("Watch", true, GrpcStatus.RESOURCE_EXHAUSTED, System.nanoTime() - started);
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Handler<Void> release = v -> {
            if (released.compareAndSet(false, true)) {
                release(key);
            }
        };
        request.response().endHandler(release);
        request.response().closeHandler(release);
        grpc.handle(request);
    }

    /** Open Watch streams of one address (tests, diagnostics). */
    public int openStreams(byte[] ip) {
        return open.getOrDefault(IpKey.of(ip), 0);
    }

    private boolean acquire(IpKey key) {
        boolean[] granted = new boolean[1];
        open.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            granted[0] = now < limit;
            return granted[0] ? now + 1 : (n == null ? null : n);
        });
        return granted[0];
    }

    private void release(IpKey key) {
        open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }
}
