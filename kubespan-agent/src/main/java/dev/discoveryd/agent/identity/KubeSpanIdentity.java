package dev.discoveryd.agent.identity;

import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import java.util.Objects;

/** Talos's KubeSpanIdentity: the node's /128 in the cluster's /64, and its WireGuard key pair. */
public record KubeSpanIdentity(IpPrefix address, IpPrefix subnet, WireGuardKey privateKey, WireGuardKey publicKey) {
    public KubeSpanIdentity {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** The address with the subnet's length, as it is put on the link. */
    public IpPrefix linkAddress() {
        return new IpPrefix(address.ip(), subnet.bits());
    }
}
