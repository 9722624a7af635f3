package dev.discoveryd.service.ratelimit;

import dev.discoveryd.service.grpc.ClientIp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the Watch streams one client IP may hold open at once. A Watch over the limit is refused before its request
 * is read; an admitted one gives its slot back when its stream closes (ended, reset or connection lost). Only
 * addresses with open streams are tracked.
 */
public final class WatchGate {
    private static final Logger LOG = LoggerFactory.getLogger(WatchGate.class);

    private final int limit;
    private final Counter rejected;
    private final Map<IpKey, Integer> open = new ConcurrentHashMap<>();

    /** {@code limit} 0 means unlimited. */
    public WatchGate(int limit, MeterRegistry meters) {
        this.limit = limit;
        this.rejected = Counter.builder("discovery.ratelimit.watch.rejected")
                .description("Watch streams refused because their client IP had too many open").register(meters);
        Gauge.builder("discovery.ratelimit.watch.open", open, WatchGate::slots)
                .description("Watch streams holding a slot of their address's --ip-watch-limit").register(meters);
    }

    private static double slots(Map<IpKey, Integer> open) {
        long n = 0;
        for (int v : open.values()) {
            n += v;
        }
        return n;
    }

    /** Takes a slot for a Watch of {@code ip}: returns what gives it back (idempotent), or null when none is free. */
    public Runnable acquire(byte[] ip) {
        if (limit == 0) {
            return () -> { };
        }
        IpKey key = IpKey.of(ip);
        boolean[] granted = new boolean[1];
        open.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            granted[0] = now < limit;
            return granted[0] ? now + 1 : (n == null ? null : n);
        });
        if (!granted[0]) {
            rejected.increment();
            LOG.debug("watch limit: refused a Watch from {}", ClientIp.text(ip));
            return null;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            }
        };
    }
}
