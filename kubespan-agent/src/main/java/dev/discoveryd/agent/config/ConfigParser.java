package dev.discoveryd.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.discoveryd.agent.core.EndpointFilter;
import dev.discoveryd.agent.core.MachineType;
import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanAddressing;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a Talos machine config: the legacy v1alpha1 document ({@code cluster.{id,secret,discovery}},
 * {@code machine.network.kubespan}) and/or the multi-document kinds KubeSpanConfig,
 * KubeSpanEndpointsConfig, DiscoveryServiceConfig (repeatable), DiscoveryIdentityConfig, plus our
 * KubeSpanAgentConfig (node facts). Validates as Talos does; every error names its field.
 */
public final class ConfigParser {
    public static final String DEFAULT_ENDPOINT = "https://discovery.talos.dev/";
    private static final YAMLMapper YAML = new YAMLMapper();

    /** The config and what was ignored in it (one warning each). */
    public record Parsed(AgentConfig config, List<String> warnings) {
    }

    private final List<String> warnings = new ArrayList<>();
    private Field legacy;
    private Field kubespanDoc;
    private Field endpointsDoc;
    private Field identityDoc;
    private Field agentDoc;
    private final List<Field> serviceDocs = new ArrayList<>();

    private ConfigParser() {
    }

    public static Parsed parse(String yaml) throws ConfigException {
        ConfigParser parser = new ConfigParser();
        parser.split(yaml);
        return new Parsed(parser.build(), List.copyOf(parser.warnings));
    }

    private void split(String yaml) throws ConfigException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                docs.add(it.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("not valid YAML: " + firstLine(e.getMessage()));
        }
        int index = 0;
        for (JsonNode doc : docs) {
            index++;
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            if (!doc.isObject()) {
                throw new ConfigException("document " + index + ": must be a mapping");
            }
            if (!doc.has("kind")) {
                if (legacy != null) {
                    throw new ConfigException("document " + index + ": a second v1alpha1 machine config document");
                }
                legacy = new Field("", doc);
                continue;
            }
            String kind = doc.get("kind").asText();
            Field f = new Field(kind, doc);
            switch (kind) {
                case "KubeSpanConfig" -> kubespanDoc = once(kubespanDoc, f);
                case "KubeSpanEndpointsConfig" -> endpointsDoc = once(endpointsDoc, f);
                case "DiscoveryIdentityConfig" -> identityDoc = once(identityDoc, f);
                case "KubeSpanAgentConfig" -> agentDoc = once(agentDoc, f);
                case "DiscoveryServiceConfig" -> serviceDocs.add(f);
                default -> warnings.add("document " + index + ": kind " + kind + " is not used by the agent; ignored");
            }
        }
    }

    private AgentConfig build() throws ConfigException {
        Field cluster = legacy == null ? new Field("cluster", null) : legacy.get("cluster");
        Field machine = legacy == null ? new Field("machine", null) : legacy.get("machine");
        Field legacyKubespan = machine.get("network").get("kubespan");

        String clusterId;
        String secret;
        if (identityDoc != null) {
            conflict(cluster.get("id").present() || cluster.get("secret").present(), "DiscoveryIdentityConfig", "cluster.id/cluster.secret");
            identityDoc.only("apiVersion", "kind", "clusterID", "clusterSecret");
            clusterId = identityDoc.get("clusterID").text(null);
            secret = secret(identityDoc.get("clusterSecret"));
        } else {
            clusterId = cluster.get("id").text(null);
            secret = secret(cluster.get("secret"));
        }

        List<DiscoveryService> services = serviceDocs.isEmpty() ? legacyServices(cluster.get("discovery")) : services(cluster);
        if (!services.isEmpty()) {
            require(clusterId, identityDoc != null ? "DiscoveryIdentityConfig.clusterID" : "cluster.id");
            require(secret, identityDoc != null ? "DiscoveryIdentityConfig.clusterSecret" : "cluster.secret");
        }

        if (kubespanDoc != null) {
            conflict(legacyKubespan.present(), "KubeSpanConfig", "machine.network.kubespan");
        }
        Field ks = kubespanDoc != null ? kubespanDoc.only("apiVersion", "kind", "enabled", "advertiseKubernetesNetworks",
                "allowDownPeerBypass", "harvestExtraEndpoints", "mtu", "filters")
                : legacyKubespan.only("enabled", "advertiseKubernetesNetworks", "allowDownPeerBypass",
                "harvestExtraEndpoints", "mtu", "filters");
        Field agent = agentDoc == null ? new Field("KubeSpanAgentConfig", null) : agentDoc.only("apiVersion", "kind",
                "hostname", "nodename", "machineType", "operatingSystem", "addresses", "mac", "listenPort",
                "directNetworks", "endpointProbeInterval", "wireguard");
        KubeSpanSettings kubespan = kubespan(ks, agent);
        if (kubespan.enabled() && services.isEmpty()) {
            throw new ConfigException((kubespanDoc != null ? "KubeSpanConfig.enabled" : "machine.network.kubespan.enabled")
                    + ": KubeSpan requires cluster discovery to be enabled");
        }
        return new AgentConfig(clusterId, secret, services, kubespan, node(machine, agent));
    }

    private List<DiscoveryService> legacyServices(Field discovery) throws ConfigException {
        discovery.only("enabled", "registries");
        Field registries = discovery.get("registries").only("service", "kubernetes");
        Field service = registries.get("service").only("disabled", "endpoint");
        registries.get("kubernetes").only("disabled");
        if (!discovery.get("enabled").bool(false)) {
            return List.of();
        }
        if (!registries.get("kubernetes").get("disabled").bool(true)) {
            warnings.add("cluster.discovery.registries.kubernetes: the Kubernetes registry is not supported (deprecated upstream); ignored");
        }
        if (service.get("disabled").bool(false)) {
            return List.of();
        }
        Field endpoint = service.get("endpoint");
        return List.of(DiscoveryService.parse("legacy", endpoint.text(DEFAULT_ENDPOINT), endpoint.path()));
    }

    private List<DiscoveryService> services(Field cluster) throws ConfigException {
        conflict(cluster.get("discovery").present(), "DiscoveryServiceConfig", "cluster.discovery");
        List<DiscoveryService> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Field doc : serviceDocs) {
            doc.only("apiVersion", "kind", "name", "endpoint");
            String name = require(doc.get("name").text(null), "DiscoveryServiceConfig.name");
            if (!names.add(name)) {
                throw new ConfigException("DiscoveryServiceConfig.name: \"" + name + "\" is given twice");
            }
            Field endpoint = new Field("DiscoveryServiceConfig[" + name + "].endpoint", doc.node().get("endpoint"));
            out.add(DiscoveryService.parse(name, require(endpoint.text(null), endpoint.path()), endpoint.path()));
        }
        return out;
    }

    private KubeSpanSettings kubespan(Field ks, Field agent) throws ConfigException {
        Field listenPortField = agent.get("listenPort");
        int mtu = ks.get("mtu").integer(0);
        if (mtu == 0) {
            mtu = LinkConfig.DEFAULT_MTU;
        }
        if (mtu < LinkConfig.MIN_MTU) {
            throw new ConfigException(ks.get("mtu").path() + ": must be at least " + LinkConfig.MIN_MTU + ", got " + mtu);
        }
        Field filters = ks.get("filters").only("endpoints", "excludeAdvertisedNetworks");
        List<String> endpointFilters = filters.get("endpoints").texts();
        if (endpointFilters != null) {
            for (int i = 0; i < endpointFilters.size(); i++) {
                try {
                    EndpointFilter.parse(endpointFilters.get(i));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(filters.get("endpoints").path() + "[" + i + "]: " + e.getMessage());
                }
            }
        }
        List<IpPrefix> exclude = new ArrayList<>();
        List<String> excludeText = filters.get("excludeAdvertisedNetworks").texts();
        for (int i = 0; excludeText != null && i < excludeText.size(); i++) {
            exclude.add(prefix(excludeText.get(i), filters.get("excludeAdvertisedNetworks").path() + "[" + i + "]"));
        }
        List<NodeEndpoint> extra = new ArrayList<>();
        if (endpointsDoc != null) {
            endpointsDoc.only("apiVersion", "kind", "extraAnnouncedEndpoints");
            List<String> texts = endpointsDoc.get("extraAnnouncedEndpoints").texts();
            for (int i = 0; texts != null && i < texts.size(); i++) {
                try {
                    extra.add(NodeEndpoint.parse(texts.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("KubeSpanEndpointsConfig.extraAnnouncedEndpoints[" + i + "]: " + e.getMessage());
                }
            }
        }
        int port = listenPortField.integer(LinkConfig.DEFAULT_PORT);
        if (port < 1 || port > 65535) {
            throw new ConfigException(listenPortField.path() + ": must be 1-65535, got " + port);
        }
        List<IpPrefix> direct = new ArrayList<>();
        Field directField = agent.get("directNetworks");
        List<String> directText = directField.texts();
        for (int i = 0; directText != null && i < directText.size(); i++) {
            IpPrefix p = prefix(directText.get(i), directField.path() + "[" + i + "]");
            IpPrefix masked = masked(p);
            if (!p.equals(masked)) {
                throw new ConfigException(directField.path() + "[" + i + "]: host bits set in \"" + directText.get(i)
                        + "\" (did you mean " + masked + "?)");
            }
            direct.add(p);
        }
        Field probeField = agent.get("endpointProbeInterval");
        Duration probe = duration(probeField, KubeSpanSettings.DEFAULT_PROBE_INTERVAL);
        if (!probe.isZero() && (probe.compareTo(Duration.ofSeconds(1)) < 0 || probe.compareTo(Duration.ofMinutes(5)) > 0)) {
            throw new ConfigException(probeField.path() + ": must be 0s (off: Talos's pace) or between 1s and 5m, got "
                    + probeField.node().asText());
        }
        Field modeField = agent.get("wireguard");
        String mode = modeField.text("auto");
        if (!KubeSpanSettings.WIREGUARD_MODES.contains(mode)) {
            throw new ConfigException(modeField.path() + ": must be one of auto, kernel, userspace, got \"" + mode + "\"");
        }
        return new KubeSpanSettings(ks.get("enabled").bool(false), ks.get("advertiseKubernetesNetworks").bool(false),
                ks.get("allowDownPeerBypass").bool(false), ks.get("harvestExtraEndpoints").bool(false), mtu,
                endpointFilters, exclude, extra, port, direct, probe, mode);
    }

    private static IpPrefix masked(IpPrefix p) {
        byte[] b = p.ip().getAddress();
        for (int bit = p.bits(); bit < b.length * 8; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(b), p.bits());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Go-style duration of one unit: {@code 500ms}, {@code 5s}, {@code 2m}; {@code 0} alone is zero. */
    private static Duration duration(Field f, Duration fallback) throws ConfigException {
        String text = f.text(null);
        if (text == null) {
            return fallback;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)").matcher(text.strip());
        if (text.strip().equals("0")) {
            return Duration.ZERO;
        }
        if (!m.matches()) {
            throw new ConfigException(f.path() + ": must be a duration such as 5s, 500ms or 1m, got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    private NodeOverrides node(Field machine, Field agent) throws ConfigException {
        String type = agent.get("machineType").text(machine.get("type").text(null));
        if (type != null && !MachineType.isKnown(type)) {
            throw new ConfigException((agent.get("machineType").present() ? agent.get("machineType").path() : "machine.type")
                    + ": must be worker, controlplane or init, got \"" + type + "\"");
        }
        List<InetAddress> addresses = null;
        List<String> texts = agent.get("addresses").texts();
        if (texts != null) {
            addresses = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                try {
                    addresses.add(IpText.parse(texts.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(agent.get("addresses").path() + "[" + i + "]: " + e.getMessage());
                }
            }
        }
        String mac = agent.get("mac").text(null);
        if (mac != null) {
            try {
                KubeSpanAddressing.parseMac(mac);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(agent.get("mac").path() + ": not a MAC address: \"" + mac + "\"");
            }
        }
        String hostname = agent.get("hostname").text(machine.get("network").get("hostname").text(null));
        return new NodeOverrides(hostname, agent.get("nodename").text(null), type,
                agent.get("operatingSystem").text(null), addresses, mac);
    }

    private static String secret(Field field) throws ConfigException {
        String text = field.text(null);
        if (text == null) {
            return null;
        }
        try {
            ClusterSecret.fromBase64(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field.path() + ": must be standard base64 of 32 bytes (" + e.getMessage() + ")");
        }
        return text.trim();
    }

    private static IpPrefix prefix(String text, String path) throws ConfigException {
        if (!text.contains("/")) {
            throw new ConfigException(path + ": must be a prefix (CIDR), got \"" + text + "\"");
        }
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ": " + e.getMessage());
        }
    }

    private static <T> T require(T value, String path) throws ConfigException {
        if (value == null || value instanceof String s && s.isEmpty()) {
            throw new ConfigException(path + ": required when discovery is enabled");
        }
        return value;
    }

    private static Field once(Field previous, Field next) throws ConfigException {
        if (previous != null) {
            throw new ConfigException(next.path() + ": given twice");
        }
        return next;
    }

    private static void conflict(boolean legacyPresent, String kind, String legacyField) throws ConfigException {
        if (legacyPresent) {
            throw new ConfigException(kind + ": conflicts with " + legacyField + " in the v1alpha1 document; use one of them");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
