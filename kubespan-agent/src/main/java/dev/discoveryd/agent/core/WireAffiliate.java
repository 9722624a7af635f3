package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.KubeSpanInfo;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * An affiliate spec in the blob's shape (node_affiliate.proto). The wire number of Talos's
 * {@code exclude_advertised_addresses} is unverified, so instead of sending it we leave the excluded
 * ranges out of the addresses we advertise: peers then build the same allowed IPs.
 */
public final class WireAffiliate {
    private WireAffiliate() {
    }

    public static AffiliateInfo toInfo(AffiliateSpec spec) {
        KubeSpanSpec ks = spec.kubespan();
        IpSet excluded = IpSet.of(ks.excludeAdvertisedNetworks());
        List<InetAddress> addresses = new ArrayList<>();
        for (InetAddress ip : spec.addresses()) {
            boolean kubespanAddress = ks.address().isPresent() && ks.address().get().equals(ip);
            if (kubespanAddress || !excluded.contains(ip)) {
                addresses.add(ip);
            }
        }
        KubeSpanInfo kubespan = ks.present() ? new KubeSpanInfo(ks.publicKey(), ks.address().orElse(null),
                IpSet.of(ks.additionalAddresses()).subtract(excluded).prefixes()) : null;
        Integer port = spec.controlPlanePort().isPresent() ? spec.controlPlanePort().getAsInt() : null;
        return new AffiliateInfo(spec.nodeId(), spec.hostname(), spec.nodename(), spec.machineType(),
                spec.operatingSystem(), addresses, kubespan, port);
    }
}
