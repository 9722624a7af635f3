package dev.discoveryd.nodeclient.state;

import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.WatchResponse;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one server session has told us, folded from its Watch stream: the first message replaces
 * the set, later ones update or delete. The local affiliate and unusable entries are left out.
 */
public final class SessionView {
    private final String ownId;
    private final AffiliateDecoder decoder;
    private Map<String, DiscoveredAffiliate> affiliates = new TreeMap<>();

    public SessionView(String ownId, AffiliateDecoder decoder) {
        this.ownId = ownId;
        this.decoder = decoder;
    }

    /** Applies one Watch message; returns whether the visible set changed. */
    public boolean apply(WatchResponse message, boolean first) {
        Map<String, DiscoveredAffiliate> next = new TreeMap<>(first ? Map.of() : affiliates);
        for (Affiliate raw : message.getAffiliatesList()) {
            String id = raw.getId();
            if (id.isEmpty() || id.equals(ownId)) {
                continue;
            }
            if (message.getDeleted()) {
                next.remove(id);
                continue;
            }
            Optional<DiscoveredAffiliate> decoded = decoder.decode(raw);
            if (decoded.isPresent()) {
                next.put(id, decoded.get());
            } else {
                next.remove(id);
            }
        }
        boolean changed = !Objects.equals(next, affiliates);
        affiliates = next;
        return changed;
    }

    public Map<String, DiscoveredAffiliate> affiliates() {
        return Map.copyOf(affiliates);
    }
}
