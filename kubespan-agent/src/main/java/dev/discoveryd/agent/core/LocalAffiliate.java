package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Talos's LocalAffiliateController (cl/local_affiliate.go): the node's own affiliate. Addresses include
 * the KubeSpan address; endpoint candidates are the addresses minus KubeSpan and SideroLink ULAs, plus
 * each public IP a discovery service saw, filtered (FilterIPs) when filters are set, paired with the
 * listen port, then the extra announced endpoints, unfiltered, without duplicates. No control plane.
 */
public final class LocalAffiliate {
    /** netip.Addr order: IPv4 before IPv6, then by bytes. */
    public static final Comparator<InetAddress> ADDRESS_ORDER = Comparator
            .comparingInt((InetAddress a) -> a.getAddress().length)
            .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

    private LocalAffiliate() {
    }

    public static AffiliateSpec build(String nodeId, NodeFacts node, Optional<LocalKubeSpan> kubespan,
                                      List<InetAddress> publicIps) {
        LinkedHashSet<InetAddress> addresses = new LinkedHashSet<>(node.addresses());
        kubespan.ifPresent(ks -> addresses.add(ks.address()));
        List<InetAddress> sorted = new ArrayList<>(addresses);
        sorted.sort(ADDRESS_ORDER);
        KubeSpanSpec ks = kubespan.map(k -> new KubeSpanSpec(k.publicKey(), Optional.of(k.address()), List.of(),
                endpoints(node, k, publicIps), k.excludeAdvertisedNetworks())).orElse(KubeSpanSpec.NONE);
        return new AffiliateSpec(nodeId, sorted, node.hostname(), node.nodename(), node.operatingSystem(),
                node.machineType(), ks, OptionalInt.empty());
    }

    static List<NodeEndpoint> endpoints(NodeFacts node, LocalKubeSpan ks, List<InetAddress> publicIps) {
        List<InetAddress> candidates = new ArrayList<>();
        for (InetAddress ip : node.addresses()) {
            if (!ip.equals(ks.address()) && !KubeSpanUla.is(ip, KubeSpanUla.SIDEROLINK) && !candidates.contains(ip)) {
                candidates.add(ip);
            }
        }
        for (InetAddress ip : publicIps) {
            if (!candidates.contains(ip)) {
                candidates.add(ip);
            }
        }
        if (ks.endpointFilters() != null) {
            candidates = EndpointFilter.apply(candidates, ks.endpointFilters());
        }
        LinkedHashSet<NodeEndpoint> out = new LinkedHashSet<>();
        candidates.forEach(ip -> out.add(new NodeEndpoint(ip, ks.listenPort())));
        out.addAll(ks.extraEndpoints());
        return List.copyOf(out);
    }
}
