package dev.discoveryd.nodeclient.client;

import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.util.List;

/**
 * Told whenever the merged set of other affiliates changes. Called on the client's event loop:
 * return quickly and never block.
 */
@FunctionalInterface
public interface AffiliateListener {
    void affiliatesChanged(List<DiscoveredAffiliate> affiliates);
}
