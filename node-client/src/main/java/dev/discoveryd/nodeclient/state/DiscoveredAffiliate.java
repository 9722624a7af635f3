package dev.discoveryd.nodeclient.state;

import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.util.List;
import java.util.Optional;

/**
 * One other node as this client sees it.
 *
 * @param id        the affiliate ID (the node ID)
 * @param info      decrypted affiliate data, or null while only endpoints (reported by others) are known
 * @param endpoints decrypted endpoint records, in server order, undecryptable ones skipped
 */
public record DiscoveredAffiliate(String id, AffiliateInfo info, List<NodeEndpoint> endpoints) {
    public DiscoveredAffiliate {
        endpoints = List.copyOf(endpoints);
    }

    public Optional<AffiliateInfo> infoIfKnown() {
        return Optional.ofNullable(info);
    }
}
