package dev.discoveryd.agent.daemon;

import dev.discoveryd.agent.cache.CacheEntry;
import dev.discoveryd.agent.cache.CacheException;
import dev.discoveryd.agent.cache.PeerCache;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the peer cache into the raw affiliates at start and writes it back when the affiliates changed. Agent-loop only. */
final class CacheKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(CacheKeeper.class);

    private final PeerCache cache;
    private List<String> written = List.of();

    CacheKeeper(PeerCache cache) {
        this.cache = cache;
    }

    void restore(RawAffiliates raw, Set<String> services, Instant now) {
        try {
            List<CacheEntry> entries = cache.load(now);
            raw.restore(entries, services);
            written = fingerprint(raw.toCache(now));
            if (!entries.isEmpty()) {
                LOG.info("restored {} raw affiliate(s) from the peer cache; live data replaces them per service", entries.size());
            }
        } catch (CacheException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    void save(RawAffiliates raw, Instant now) {
        List<CacheEntry> next = raw.toCache(now);
        // Expiry times move with the clock; write only when the affiliates themselves changed.
        List<String> print = fingerprint(next);
        if (print.equals(written)) {
            return;
        }
        try {
            cache.save(next, now);
            written = print;
        } catch (IOException e) {
            LOG.warn("could not write the peer cache: {}", e.getMessage());
        }
    }

    private static List<String> fingerprint(List<CacheEntry> entries) {
        return entries.stream().map(e -> e.rawId() + e.spec()).toList();
    }
}
