package dev.discoveryd.nodeclient.format;

import java.net.InetAddress;
import java.util.List;

/**
 * KubeSpan part of an affiliate.
 *
 * @param address the node's KubeSpan address, or null when the node did not publish one
 */
public record KubeSpanInfo(String publicKey, InetAddress address, List<IpPrefix> additionalAddresses) {
    public KubeSpanInfo {
        publicKey = publicKey == null ? "" : publicKey;
        additionalAddresses = List.copyOf(additionalAddresses);
    }
}
