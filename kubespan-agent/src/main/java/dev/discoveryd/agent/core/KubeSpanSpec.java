package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The KubeSpan part of an affiliate (Talos KubeSpanAffiliateSpec); empty public key = no KubeSpan. */
public record KubeSpanSpec(String publicKey, Optional<InetAddress> address, List<IpPrefix> additionalAddresses,
                           List<NodeEndpoint> endpoints, List<IpPrefix> excludeAdvertisedNetworks) {
    public static final KubeSpanSpec NONE = new KubeSpanSpec("", Optional.empty(), List.of(), List.of(), List.of());

    public KubeSpanSpec {
        publicKey = publicKey == null ? "" : publicKey;
        Objects.requireNonNull(address, "address");
        additionalAddresses = List.copyOf(additionalAddresses);
        endpoints = List.copyOf(endpoints);
        excludeAdvertisedNetworks = List.copyOf(excludeAdvertisedNetworks);
    }

    public boolean present() {
        return !publicKey.isEmpty();
    }
}
