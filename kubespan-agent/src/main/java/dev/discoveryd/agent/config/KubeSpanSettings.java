package dev.discoveryd.agent.config;

import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.util.List;

/**
 * KubeSpan settings (Talos KubeSpanConfig resource). {@code endpointFilters} is null when the config has
 * none: then nothing is filtered. {@code listenPort} is ours (Talos always uses 51820).
 */
public record KubeSpanSettings(boolean enabled, boolean advertiseKubernetesNetworks, boolean allowDownPeerBypass,
                               boolean harvestExtraEndpoints, int mtu, List<String> endpointFilters,
                               List<IpPrefix> excludeAdvertisedNetworks, List<NodeEndpoint> extraEndpoints,
                               int listenPort) {
    public static final KubeSpanSettings DISABLED = new KubeSpanSettings(false, false, false, false,
            LinkConfig.DEFAULT_MTU, null, List.of(), List.of(), LinkConfig.DEFAULT_PORT);

    public KubeSpanSettings {
        endpointFilters = endpointFilters == null ? null : List.copyOf(endpointFilters);
        excludeAdvertisedNetworks = List.copyOf(excludeAdvertisedNetworks);
        extraEndpoints = List.copyOf(extraEndpoints);
    }

    public boolean forceRouting() {
        return !allowDownPeerBypass;
    }
}
