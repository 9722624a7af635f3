package dev.discoveryd.service.ratelimit;

import dev.discoveryd.service.grpc.Admission;
import dev.discoveryd.service.grpc.ClientIp;
import dev.discoveryd.service.grpc.StatusException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Per-client-IP rate limiting for every RPC, Watch included: a request that finds its bucket empty waits for a token
 * on a Vert.x timer (never blocking its event loop) as long as its deadline allows, else it fails at once with
 * RESOURCE_EXHAUSTED. A request without a deadline waits at most {@link #MAX_WAIT_WITHOUT_DEADLINE_MS}.
 */
public final class RateLimitAdmission implements Admission, AutoCloseable {
    public static final long MAX_WAIT_WITHOUT_DEADLINE_MS = 10_000;
    /** Addresses tracked at once; beyond that, newcomers share one bucket (about 100 bytes per address). */
    public static final int MAX_TRACKED_ADDRESSES = 262_144;
    private static final Logger LOG = LoggerFactory.getLogger(RateLimitAdmission.class);
    private static final CompletableFuture<Void> GO = CompletableFuture.completedFuture(null);

    private final Vertx vertx;
    private final TokenBuckets buckets;
    private final Counter delayed;
    private final Counter rejected;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "discoveryd-ratelimit-sweep");
        t.setDaemon(true);
        return t;
    });

    public RateLimitAdmission(Vertx vertx, double perSecond, int burst, MeterRegistry meters) {
        this.vertx = vertx;
        this.buckets = new TokenBuckets(perSecond, burst, MAX_TRACKED_ADDRESSES, System.nanoTime());
        this.delayed = Counter.builder("discovery.ratelimit.delayed")
                .description("requests that waited for a rate-limit token").register(meters);
        this.rejected = Counter.builder("discovery.ratelimit.rejected")
                .description("requests refused with RESOURCE_EXHAUSTED by the per-IP rate limit").register(meters);
        Gauge.builder("discovery.ratelimit.tracked.addresses", buckets, TokenBuckets::size)
                .description("client addresses with a rate-limit bucket of their own").register(meters);
        // A bucket is full again after burst/rate seconds; sweeping at that pace keeps the table near the active set.
        long everyMs = Math.max(100, Math.min(10_000, (long) (1000.0 * burst / perSecond)));
        sweeper.scheduleWithFixedDelay(() -> buckets.sweep(System.nanoTime()), everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Void> admit(byte[] clientIp, long timeoutMillis) {
        long allowedMs = timeoutMillis > 0 ? timeoutMillis - timeoutMillis / 10 : MAX_WAIT_WITHOUT_DEADLINE_MS;
        long wait = buckets.reserve(IpKey.of(clientIp), System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(allowedMs));
        if (wait == 0) {
            return GO;
        }
        if (wait == TokenBuckets.REFUSED) {
            rejected.increment();
            LOG.debug("rate limit: refused a request from {}", ClientIp.text(clientIp));
            return CompletableFuture.failedFuture(new StatusException(GrpcStatus.RESOURCE_EXHAUSTED,
                    "rate limit exceeded for " + ClientIp.text(clientIp) + "; slow down"));
        }
        delayed.increment();
        CompletableFuture<Void> later = new CompletableFuture<>();
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)), id -> later.complete(null));
        return later;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
