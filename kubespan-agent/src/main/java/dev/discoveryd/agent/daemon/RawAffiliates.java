package dev.discoveryd.agent.daemon;

import dev.discoveryd.agent.cache.CacheEntry;
import dev.discoveryd.agent.core.AffiliateSpec;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Raw affiliates per source ({@code service/<name>/<affiliateId>}). A source starts with what the cache
 * had for it and switches to live data at its first snapshot; cached entries expire by their TTL.
 * Agent-loop only.
 */
final class RawAffiliates {
    static final Duration TTL = Duration.ofMinutes(30);

    private final TreeMap<String, AffiliateSpec> raw = new TreeMap<>();
    private final Map<String, Instant> cachedUntil = new TreeMap<>();
    private final Set<String> liveSources = new HashSet<>();

    static String prefix(String service) {
        return "service/" + service + "/";
    }

    void restore(List<CacheEntry> entries, Set<String> configured) {
        for (CacheEntry e : entries) {
            String source = source(e.rawId());
            if (configured.contains(source) && !liveSources.contains(source)) {
                raw.put(e.rawId(), e.spec());
                cachedUntil.put(e.rawId(), e.expiresAt());
            }
        }
    }

    /** Replaces everything from {@code service} with what it reports now; true when something changed. */
    boolean replace(String service, List<DiscoveredAffiliate> affiliates) {
        String prefix = prefix(service);
        Map<String, AffiliateSpec> next = new TreeMap<>();
        for (DiscoveredAffiliate a : affiliates) {
            // Endpoints-only affiliates (no data) stay invisible, as in the Talos client.
            if (a.info() != null) {
                AffiliateSpec spec = AffiliateSpec.fromWire(a.info(), a.endpoints());
                if (spec.nodeId().isEmpty()) {
                    spec = new AffiliateSpec(a.id(), spec.addresses(), spec.hostname(), spec.nodename(),
                            spec.operatingSystem(), spec.machineType(), spec.kubespan(), spec.controlPlanePort());
                }
                next.put(prefix + a.id(), spec);
            }
        }
        Map<String, AffiliateSpec> before = new TreeMap<>(raw.subMap(prefix, prefix + Character.MAX_VALUE));
        liveSources.add(service);
        raw.keySet().removeIf(k -> k.startsWith(prefix));
        cachedUntil.keySet().removeIf(k -> k.startsWith(prefix));
        raw.putAll(next);
        return !before.equals(next);
    }

    /** Drops cached entries whose TTL has passed; true when something went. */
    boolean expire(Instant now) {
        List<String> gone = new ArrayList<>();
        cachedUntil.forEach((id, until) -> {
            if (!until.isAfter(now)) {
                gone.add(id);
            }
        });
        gone.forEach(id -> {
            raw.remove(id);
            cachedUntil.remove(id);
        });
        return !gone.isEmpty();
    }

    Map<String, AffiliateSpec> all() {
        return Map.copyOf(raw);
    }

    boolean isLive(String service) {
        return liveSources.contains(service);
    }

    /** What the cache should hold now: live entries valid for one more TTL, cached ones as they were. */
    List<CacheEntry> toCache(Instant now) {
        List<CacheEntry> out = new ArrayList<>();
        raw.forEach((id, spec) -> out.add(new CacheEntry(id, cachedUntil.getOrDefault(id, now.plus(TTL)), spec)));
        return out;
    }

    private static String source(String rawId) {
        String rest = rawId.startsWith("service/") ? rawId.substring("service/".length()) : "";
        int slash = rest.indexOf('/');
        return slash < 0 ? "" : rest.substring(0, slash);
    }
}
