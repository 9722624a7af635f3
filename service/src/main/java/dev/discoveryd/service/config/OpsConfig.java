package dev.discoveryd.service.config;

import java.time.Duration;

/**
 * How the service protects and reports itself: rate limits, message bounds, log format, page caching, TLS reload.
 * Built from the command line by {@link ServeOptions#toOpsConfig()}.
 *
 * @param ipRateLimit       requests per second per client IP; 0 turns rate limiting off
 * @param ipRateBurst       requests a client IP may make at once before it has to wait
 * @param ipWatchLimit      concurrent Watch streams per client IP; 0 means unlimited
 * @param maxMessageBytes   largest gRPC request message accepted
 * @param logFormat         "text" (human) or "json" (one object per line, for collectors)
 * @param statsCache        how long /stats answers are reused
 * @param tlsReloadInterval how often the certificate and key files are checked for changes
 * @param watchBuffer       unsent Watch bytes one watcher may hold (its first snapshot included)
 * @param ipWatchBuffer     unsent Watch bytes all watchers of one client IP may hold together
 * @param watchBufferTotal  unsent Watch bytes the whole process may hold
 */
public record OpsConfig(
        double ipRateLimit,
        int ipRateBurst,
        int ipWatchLimit,
        int maxMessageBytes,
        String logFormat,
        Duration statsCache,
        Duration tlsReloadInterval,
        long watchBuffer,
        long ipWatchBuffer,
        long watchBufferTotal) {

    public static final int DEFAULT_WATCH_LIMIT = 4096;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    /** Holds the largest possible snapshot (1024 affiliates of about 4.4 KB each) with room to spare. */
    public static final long DEFAULT_WATCH_BUFFER = 8L << 20;
    public static final long DEFAULT_IP_WATCH_BUFFER = 32L << 20;
    /** The default process bound, as a share of the largest heap the JVM may use. */
    public static final int DEFAULT_WATCH_BUFFER_TOTAL_PERCENT = 25;

    public OpsConfig {
        if (ipRateLimit < 0 || Double.isNaN(ipRateLimit) || Double.isInfinite(ipRateLimit)) {
            throw new IllegalArgumentException("--ip-rate-limit must be a finite number >= 0");
        }
        if (ipRateLimit > 0 && ipRateBurst < 1) {
            throw new IllegalArgumentException("--ip-rate-burst must be at least 1");
        }
        if (ipWatchLimit < 0) {
            throw new IllegalArgumentException("--ip-watch-limit must be >= 0");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("--max-message-size must be at least 1024 bytes");
        }
        if (!"text".equals(logFormat) && !"json".equals(logFormat)) {
            throw new IllegalArgumentException("--log-format must be text or json");
        }
        if (statsCache.isNegative()) {
            throw new IllegalArgumentException("--stats-cache must not be negative");
        }
        if (tlsReloadInterval.isNegative() || tlsReloadInterval.isZero()) {
            throw new IllegalArgumentException("--tls-reload-interval must be positive");
        }
        if (watchBuffer < 64 * 1024 || ipWatchBuffer < watchBuffer || watchBufferTotal < ipWatchBuffer) {
            throw new IllegalArgumentException("watch buffers must satisfy 64KiB <= --watch-buffer <= --ip-watch-buffer"
                    + " <= --watch-buffer-total");
        }
    }

    /** The defaults, as the flags give them. */
    public static OpsConfig defaults() {
        return new OpsConfig(15, 60, DEFAULT_WATCH_LIMIT, DEFAULT_MAX_MESSAGE_BYTES, "text", Duration.ofHours(1),
                Duration.ofSeconds(5), DEFAULT_WATCH_BUFFER, DEFAULT_IP_WATCH_BUFFER,
                Math.max(DEFAULT_IP_WATCH_BUFFER, shareOfHeap(DEFAULT_WATCH_BUFFER_TOTAL_PERCENT)));
    }

    /** {@code percent} of the largest heap this JVM may use. */
    public static long shareOfHeap(int percent) {
        return Runtime.getRuntime().maxMemory() / 100 * percent;
    }

    public boolean rateLimited() {
        return ipRateLimit > 0;
    }
}
