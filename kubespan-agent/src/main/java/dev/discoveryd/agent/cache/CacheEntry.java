package dev.discoveryd.agent.cache;

import dev.discoveryd.agent.core.AffiliateSpec;
import java.time.Instant;
import java.util.Objects;

/** One raw affiliate as last seen from a source ({@code service/<name>/<nodeId>}), valid until {@code expiresAt}. */
public record CacheEntry(String rawId, Instant expiresAt, AffiliateSpec spec) {
    public CacheEntry {
        Objects.requireNonNull(rawId, "rawId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(spec, "spec");
    }
}
