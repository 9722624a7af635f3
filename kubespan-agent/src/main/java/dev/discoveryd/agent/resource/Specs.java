package dev.discoveryd.agent.resource;

import dev.discoveryd.agent.config.AgentConfig;
import dev.discoveryd.agent.config.DiscoveryService;
import dev.discoveryd.agent.core.AffiliateSpec;
import dev.discoveryd.agent.core.Member;
import dev.discoveryd.agent.core.PeerSpec;
import dev.discoveryd.agent.core.PeerStatus;
import dev.discoveryd.agent.identity.KubeSpanIdentity;
import dev.discoveryd.nodeclient.format.IpText;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Resource specs with the YAML keys of the Talos types (kubespan-facts.md B10), in their order. */
public final class Specs {
    /** How Go prints a zero time.Time. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private Specs() {
    }

    public static Map<String, Object> identity(String nodeId) {
        return map("nodeId", nodeId);
    }

    public static Map<String, Object> affiliate(AffiliateSpec a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", a.nodeId());
        m.put("addresses", ips(a.addresses()));
        m.put("hostname", a.hostname());
        if (!a.nodename().isEmpty()) {
            m.put("nodename", a.nodename());
        }
        m.put("operatingSystem", a.operatingSystem());
        m.put("machineType", a.machineType());
        if (a.kubespan().present()) {
            Map<String, Object> ks = new LinkedHashMap<>();
            ks.put("publicKey", a.kubespan().publicKey());
            ks.put("address", a.kubespan().address().map(IpText::format).orElse(""));
            ks.put("additionalAddresses", strings(a.kubespan().additionalAddresses()));
            ks.put("endpoints", strings(a.kubespan().endpoints()));
            ks.put("excludeAdvertisedNetworks", strings(a.kubespan().excludeAdvertisedNetworks()));
            m.put("kubespan", ks);
        }
        a.controlPlanePort().ifPresent(port -> m.put("controlPlane", map("port", port)));
        return m;
    }

    public static Map<String, Object> member(Member member) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", member.nodeId());
        m.put("addresses", ips(member.addresses()));
        m.put("hostname", member.hostname());
        m.put("machineType", member.machineType());
        m.put("operatingSystem", member.operatingSystem());
        member.controlPlanePort().ifPresent(port -> m.put("controlPlane", map("port", port)));
        return m;
    }

    public static Map<String, Object> discoveryConfig(AgentConfig c, boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<DiscoveryService> first = c.services().stream().findFirst();
        m.put("discoveryEnabled", c.discoveryEnabled());
        m.put("registryKubernetesEnabled", false);
        m.put("registryServiceEnabled", c.discoveryEnabled());
        m.put("serviceEndpoint", first.map(DiscoveryService::endpoint).orElse(""));
        m.put("serviceEndpointInsecure", first.map(DiscoveryService::insecure).orElse(false));
        m.put("serviceEncryptionKey", redact ? redacted() : nullToEmpty(c.clusterSecret()));
        m.put("serviceClusterID", nullToEmpty(c.clusterId()));
        m.put("serviceEndpoints", c.services().stream().map(s -> (Object) map("name", s.name(), "endpoint", s.endpoint(),
                "insecure", s.insecure())).toList());
        return m;
    }

    public static Map<String, Object> kubespanConfig(AgentConfig c, boolean redact) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", c.kubespan().enabled());
        m.put("clusterId", nullToEmpty(c.clusterId()));
        m.put("sharedSecret", redact ? redacted() : nullToEmpty(c.clusterSecret()));
        m.put("forceRouting", c.kubespan().forceRouting());
        m.put("advertiseKubernetesNetworks", c.kubespan().advertiseKubernetesNetworks());
        m.put("mtu", c.kubespan().mtu());
        m.put("endpointFilters", c.kubespan().endpointFilters() == null ? List.of() : c.kubespan().endpointFilters());
        m.put("harvestExtraEndpoints", c.kubespan().harvestExtraEndpoints());
        m.put("extraEndpoints", strings(c.kubespan().extraEndpoints()));
        m.put("excludeAdvertisedNetworks", strings(c.kubespan().excludeAdvertisedNetworks()));
        return m;
    }

    public static Map<String, Object> kubespanIdentity(KubeSpanIdentity id, boolean redact) {
        return map("address", id.address().toString(), "subnet", id.subnet().toString(),
                "privateKey", redact ? redacted() : id.privateKey().base64(), "publicKey", id.publicKey().base64());
    }

    public static Map<String, Object> peerSpec(PeerSpec p) {
        return map("address", p.address().map(IpText::format).orElse(""), "allowedIPs", strings(p.allowedIps()),
                "endpoints", strings(p.endpoints()), "label", p.label());
    }

    public static Map<String, Object> peerStatus(PeerStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", s.endpoint().map(Object::toString).orElse(""));
        m.put("label", s.label());
        m.put("state", s.state().text());
        m.put("receiveBytes", s.receiveBytes());
        m.put("transmitBytes", s.transmitBytes());
        m.put("lastHandshakeTime", time(s.lastHandshakeTime()));
        m.put("lastUsedEndpoint", s.lastUsedEndpoint().map(Object::toString).orElse(""));
        m.put("lastEndpointChange", time(s.lastEndpointChange()));
        return m;
    }

    public static Map<String, Object> endpoint(String affiliateId, String endpoint) {
        return map("affiliateID", affiliateId, "endpoint", endpoint);
    }

    public static Map<String, Object> info(String clusterId, String clusterName) {
        return map("clusterId", nullToEmpty(clusterId), "clusterName", clusterName);
    }

    /** What a sensitive field shows without the flag. */
    public static String redacted() {
        return "(sensitive: use --sensitive)";
    }

    private static String time(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(ZERO_TIME);
    }

    private static List<Object> ips(List<InetAddress> ips) {
        return ips.stream().map(ip -> (Object) IpText.format(ip)).toList();
    }

    private static List<Object> strings(List<?> values) {
        return values.stream().map(v -> (Object) v.toString()).toList();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
