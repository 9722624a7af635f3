package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One WireGuard peer to be (Talos KubeSpanPeerSpec, ID = public key); {@code affiliateId} is its node ID. */
public record PeerSpec(String publicKey, Optional<InetAddress> address, List<IpPrefix> allowedIps,
                       List<NodeEndpoint> endpoints, String label, String affiliateId) {
    public PeerSpec {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(address, "address");
        allowedIps = List.copyOf(allowedIps);
        endpoints = List.copyOf(endpoints);
        label = label == null ? "" : label;
        Objects.requireNonNull(affiliateId, "affiliateId");
    }
}
