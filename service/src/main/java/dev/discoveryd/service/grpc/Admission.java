package dev.discoveryd.service.grpc;

import java.util.concurrent.CompletableFuture;

/** Decides whether a caller may proceed now, later, or not at all (rate limiting). */
public interface Admission {
    Admission ALWAYS = (clientIp, timeoutMillis) -> CompletableFuture.completedFuture(null);

    /**
     * Completes when the caller may proceed; fails with a {@link StatusException} when it may not within
     * {@code timeoutMillis} (0: no deadline given).
     */
    CompletableFuture<Void> admit(byte[] clientIp, long timeoutMillis);
}
