package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The local node's KubeSpan inputs: its public key and address, and the filters of its config.
 *
 * @param endpointFilters null when the config has none (then nothing is filtered, as in Talos)
 */
public record LocalKubeSpan(String publicKey, InetAddress address, List<String> endpointFilters,
                            List<NodeEndpoint> extraEndpoints, List<IpPrefix> excludeAdvertisedNetworks,
                            int listenPort) {
    public LocalKubeSpan {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(address, "address");
        endpointFilters = endpointFilters == null ? null : List.copyOf(endpointFilters);
        extraEndpoints = List.copyOf(extraEndpoints);
        excludeAdvertisedNetworks = List.copyOf(excludeAdvertisedNetworks);
    }
}
