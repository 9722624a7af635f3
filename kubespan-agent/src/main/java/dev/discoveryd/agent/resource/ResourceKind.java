package dev.discoveryd.agent.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The resource types the agent serves, with talosctl's names, aliases, namespaces and print columns. */
public enum ResourceKind {
    IDENTITIES("Identities.cluster.talos.dev", "Identity", "cluster", false, "cluster.NodeIdentityController",
            col("ID", "nodeId")),
    AFFILIATES("Affiliates.cluster.talos.dev", "Affiliate", "cluster", false, "cluster.AffiliateMergeController",
            col("HOSTNAME", "hostname"), col("MACHINE TYPE", "machineType"), col("ADDRESSES", "addresses")),
    MEMBERS("Members.cluster.talos.dev", "Member", "cluster", false, "cluster.MemberController",
            col("HOSTNAME", "hostname"), col("MACHINE TYPE", "machineType"), col("OS", "operatingSystem"),
            col("ADDRESSES", "addresses")),
    DISCOVERY_CONFIGS("DiscoveryConfigs.cluster.talos.dev", "DiscoveryConfig", "config", true, "cluster.ConfigController"),
    KUBESPAN_CONFIGS("KubeSpanConfigs.kubespan.talos.dev", "KubeSpanConfig", "config", true, "kubespan.ConfigController"),
    KUBESPAN_IDENTITIES("KubeSpanIdentities.kubespan.talos.dev", "KubeSpanIdentity", "kubespan", true,
            "kubespan.IdentityController", col("ADDRESS", "address"), col("PUBLICKEY", "publicKey")),
    KUBESPAN_PEER_SPECS("KubeSpanPeerSpecs.kubespan.talos.dev", "KubeSpanPeerSpec", "kubespan", false,
            "kubespan.PeerSpecController", col("LABEL", "label"), col("ENDPOINTS", "endpoints")),
    KUBESPAN_PEER_STATUSES("KubeSpanPeerStatuses.kubespan.talos.dev", "KubeSpanPeerStatus", "kubespan", false,
            "kubespan.ManagerController", col("LABEL", "label"), col("ENDPOINT", "endpoint"), col("STATE", "state"),
            col("RX", "receiveBytes"), col("TX", "transmitBytes")),
    KUBESPAN_ENDPOINTS("KubeSpanEndpoints.kubespan.talos.dev", "KubeSpanEndpoint", "kubespan", false,
            "kubespan.EndpointController", col("ENDPOINT", "endpoint"), col("AFFILIATE ID", "affiliateID")),
    INFOS("Infos.cluster.talos.dev", "Info", "cluster", false, "cluster.InfoController",
            col("CLUSTER ID", "clusterId"), col("CLUSTER NAME", "clusterName"));

    /** A print column: header and the spec key it shows. */
    public record Column(String header, String key) {
    }

    public static final String RAW_NAMESPACE = "cluster-raw";

    private final String type;
    private final String displayType;
    private final String namespace;
    private final boolean sensitive;
    private final String owner;
    private final List<Column> columns;

    ResourceKind(String type, String displayType, String namespace, boolean sensitive, String owner, Column... columns) {
        this.type = type;
        this.displayType = displayType;
        this.namespace = namespace;
        this.sensitive = sensitive;
        this.owner = owner;
        this.columns = List.of(columns);
    }

    public String type() {
        return type;
    }

    public String displayType() {
        return displayType;
    }

    public String defaultNamespace() {
        return namespace;
    }

    /** Sensitive resources carry secrets (private key, cluster secret) that need an explicit flag to see. */
    public boolean sensitive() {
        return sensitive;
    }

    public String owner() {
        return owner;
    }

    public List<Column> columns() {
        return columns;
    }

    /**
     * cosi's aliases: lower-case singular and plural, the full type, the initials, and the initials + "s"
     * unless they already end in s.
     */
    public List<String> aliases() {
        List<String> out = new ArrayList<>();
        out.add(displayType.toLowerCase(Locale.ROOT));
        String plural = type.substring(0, type.indexOf('.'));
        out.add(plural.toLowerCase(Locale.ROOT));
        out.add(type.toLowerCase(Locale.ROOT));
        String initials = displayType.chars().filter(Character::isUpperCase)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().toLowerCase(Locale.ROOT);
        out.add(initials);
        if (!initials.endsWith("s")) {
            out.add(initials + "s");
        }
        return out;
    }

    /** The first kind (in declaration order) with this alias, as talosctl resolves shared ones like {@code ksps}. */
    public static Optional<ResourceKind> resolve(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (ResourceKind kind : values()) {
            if (kind.aliases().contains(wanted)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    private static Column col(String header, String key) {
        return new Column(header, key);
    }
}
