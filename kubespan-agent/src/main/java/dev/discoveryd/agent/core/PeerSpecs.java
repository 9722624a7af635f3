package dev.discoveryd.agent.core;

import dev.discoveryd.agent.port.WireGuardKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.util.List;

/**
 * Talos's PeerSpecController: one peer per merged affiliate (not self) with a public key. Allowed IPs =
 * additional addresses ∪ addresses, minus its excluded networks, ∪ its KubeSpan address; peers taken in
 * node-ID order lose only the part that overlaps a peer already taken, and are kept even when empty.
 */
public final class PeerSpecs {
    private PeerSpecs() {
    }

    /** The peers and the warnings Talos logs while building them. */
    public record Result(List<PeerSpec> peers, List<String> warnings) {
        public Result {
            peers = List.copyOf(peers);
            warnings = List.copyOf(warnings);
        }
    }

    public static Result build(List<AffiliateSpec> merged, String selfNodeId) {
        List<AffiliateSpec> sorted = new ArrayList<>(merged);
        sorted.sort(Comparator.comparing(AffiliateSpec::nodeId));
        IpSet taken = IpSet.empty();
        List<PeerSpec> peers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (AffiliateSpec affiliate : sorted) {
            KubeSpanSpec ks = affiliate.kubespan();
            if (affiliate.nodeId().equals(selfNodeId) || !ks.present()) {
                continue;
            }
            if (!validKey(ks.publicKey())) {
                warnings.add("peer " + affiliate.nodeId() + " skipped: its public key is not a WireGuard key");
                continue;
            }
            IpSet set = IpSet.of(ks.additionalAddresses());
            for (InetAddress address : affiliate.addresses()) {
                set = set.add(address);
            }
            set = set.subtract(IpSet.of(ks.excludeAdvertisedNetworks()));
            if (ks.address().isPresent()) {
                set = set.add(ks.address().get());
            }
            IpSet overlap = set.intersect(taken);
            if (!overlap.isEmpty()) {
                warnings.add("peer address overlap: peer " + affiliate.nodeId() + " (" + affiliate.nodename()
                        + ") loses " + overlap + " to peers before it");
                set = set.subtract(overlap);
                if (set.isEmpty()) {
                    warnings.add("conflict resolution removed all ranges: peer " + affiliate.nodeId());
                }
            }
            taken = taken.union(set);
            peers.add(new PeerSpec(ks.publicKey(), ks.address(), set.prefixes(), ks.endpoints(),
                    affiliate.nodename(), affiliate.nodeId()));
        }
        return new Result(peers, warnings);
    }

    private static boolean validKey(String key) {
        try {
            new WireGuardKey(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * harvestExtraEndpoints (cl/discovery_service.go): for each peer that is up, the endpoint WireGuard uses for it,
     * keyed by the peer's affiliate ID, to be reported as that affiliate's extra endpoint.
     */
    public static java.util.Map<String, List<NodeEndpoint>> observedEndpoints(List<PeerSpec> specs,
                                                                         java.util.Map<String, PeerStatus> statuses) {
        java.util.Map<String, List<NodeEndpoint>> out = new java.util.TreeMap<>();
        for (PeerSpec spec : specs) {
            PeerStatus s = statuses.get(spec.publicKey());
            if (s != null && s.state() == PeerState.UP && s.endpoint().isPresent()) {
                out.put(spec.affiliateId(), List.of(s.endpoint().get()));
            }
        }
        return out;
    }
}
