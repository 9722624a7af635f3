package dev.discoveryd.agent.daemon;

import dev.discoveryd.agent.config.AgentConfig;
import dev.discoveryd.agent.core.AffiliateSpec;
import dev.discoveryd.agent.core.Member;
import dev.discoveryd.agent.core.PeerSpec;
import dev.discoveryd.agent.core.PeerState;
import dev.discoveryd.agent.core.PeerStatus;
import dev.discoveryd.agent.identity.KubeSpanIdentity;
import dev.discoveryd.agent.resource.ResourceKind;
import dev.discoveryd.agent.resource.ResourceStore;
import dev.discoveryd.agent.resource.Specs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Turns one pass's results into the resources {@code kubespan-agent get} shows. */
final class ResourceWriter {
    private final ResourceStore store;
    private final AgentConfig config;
    private final String nodeId;
    private final Optional<KubeSpanIdentity> identity;

    ResourceWriter(ResourceStore store, AgentConfig config, String nodeId, Optional<KubeSpanIdentity> identity) {
        this.store = store;
        this.config = config;
        this.nodeId = nodeId;
        this.identity = identity;
    }

    void write(AffiliateSpec local, List<AffiliateSpec> merged, Map<String, AffiliateSpec> raw, List<PeerSpec> specs,
               Map<String, PeerStatus> statuses, Instant now) {
        put(ResourceKind.IDENTITIES, null, Map.of("local", Specs.identity(nodeId)), now);
        put(ResourceKind.INFOS, null, Map.of("current", Specs.info(config.clusterId(), "")), now);
        put(ResourceKind.DISCOVERY_CONFIGS, null, Map.of("cluster", Specs.discoveryConfig(config, false)), now);
        put(ResourceKind.KUBESPAN_CONFIGS, null, Map.of("kubespan", Specs.kubespanConfig(config, false)), now);
        put(ResourceKind.KUBESPAN_IDENTITIES, null, identity.map(id -> Map.of("local", Specs.kubespanIdentity(id, false)))
                .orElse(Map.of()), now);

        Map<String, Map<String, Object>> affiliates = new TreeMap<>();
        affiliates.put(local.nodeId(), Specs.affiliate(local));
        merged.forEach(a -> affiliates.put(a.nodeId(), Specs.affiliate(a)));
        put(ResourceKind.AFFILIATES, null, affiliates, now);

        Map<String, Map<String, Object>> rawSpecs = new TreeMap<>();
        raw.forEach((id, a) -> rawSpecs.put(id, Specs.affiliate(a)));
        put(ResourceKind.AFFILIATES, ResourceKind.RAW_NAMESPACE, rawSpecs, now);

        Map<String, Map<String, Object>> members = new TreeMap<>();
        Member.of(local, merged).forEach(m -> members.put(m.id(), Specs.member(m)));
        put(ResourceKind.MEMBERS, null, members, now);

        Map<String, Map<String, Object>> peerSpecs = new TreeMap<>();
        Map<String, Map<String, Object>> peerStatuses = new TreeMap<>();
        Map<String, Map<String, Object>> endpoints = new TreeMap<>();
        for (PeerSpec spec : specs) {
            peerSpecs.put(spec.publicKey(), Specs.peerSpec(spec));
            PeerStatus status = statuses.get(spec.publicKey());
            if (status != null) {
                peerStatuses.put(spec.publicKey(), Specs.peerStatus(status));
                if (config.kubespan().harvestExtraEndpoints() && status.state() == PeerState.UP && status.endpoint().isPresent()) {
                    endpoints.put(spec.publicKey(), Specs.endpoint(spec.affiliateId(), status.endpoint().get().toString()));
                }
            }
        }
        put(ResourceKind.KUBESPAN_PEER_SPECS, null, peerSpecs, now);
        put(ResourceKind.KUBESPAN_PEER_STATUSES, null, peerStatuses, now);
        put(ResourceKind.KUBESPAN_ENDPOINTS, null, endpoints, now);
    }

    private void put(ResourceKind kind, String namespace, Map<String, Map<String, Object>> specs, Instant now) {
        store.replaceAll(kind.type(), namespace == null ? kind.defaultNamespace() : namespace, kind.owner(), specs, now);
    }
}
