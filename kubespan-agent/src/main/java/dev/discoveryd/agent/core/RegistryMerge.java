package dev.discoveryd.agent.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Talos's AffiliateMergeController: raw affiliates, taken in raw-ID order, merged by node ID. Lists are
 * unions in first-seen order; hostname, nodename, machine type (unless unknown), public key, KubeSpan
 * address and control plane are overwritten by non-empty values; the operating system keeps the first.
 * Unlike Talos, every discovery service has its own raw ID, so several services really are merged.
 */
public final class RegistryMerge {
    private RegistryMerge() {
    }

    /** {@code raw} keyed by raw ID ({@code service/<name>/<nodeId>}, {@code k8s/<nodeId>}); result sorted by node ID. */
    public static List<AffiliateSpec> merge(Map<String, AffiliateSpec> raw) {
        SortedMap<String, AffiliateSpec> merged = new TreeMap<>();
        new TreeMap<>(raw).values().forEach(spec -> merged.merge(spec.nodeId(), spec, RegistryMerge::mergeInto));
        return List.copyOf(merged.values());
    }

    static AffiliateSpec mergeInto(AffiliateSpec base, AffiliateSpec other) {
        KubeSpanSpec a = base.kubespan();
        KubeSpanSpec b = other.kubespan();
        KubeSpanSpec kubespan = new KubeSpanSpec(
                b.publicKey().isEmpty() ? a.publicKey() : b.publicKey(),
                b.address().isPresent() ? b.address() : a.address(),
                union(a.additionalAddresses(), b.additionalAddresses()),
                union(a.endpoints(), b.endpoints()),
                union(a.excludeAdvertisedNetworks(), b.excludeAdvertisedNetworks()));
        return new AffiliateSpec(base.nodeId(),
                union(base.addresses(), other.addresses()),
                other.hostname().isEmpty() ? base.hostname() : other.hostname(),
                other.nodename().isEmpty() ? base.nodename() : other.nodename(),
                base.operatingSystem(),
                AffiliateSpec.UNKNOWN_TYPE.equals(other.machineType()) ? base.machineType() : other.machineType(),
                kubespan,
                other.controlPlanePort().isPresent() ? other.controlPlanePort() : base.controlPlanePort());
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        LinkedHashSet<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }
}
