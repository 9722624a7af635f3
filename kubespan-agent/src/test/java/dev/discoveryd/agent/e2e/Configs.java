package dev.discoveryd.agent.e2e;

import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.KubeSpanAddressing;
import java.util.Map;

/** Multi-document configs for test agents: node {@code i} has address 10.10.0.i and MAC 02:00:00:00:00:i. */
final class Configs {
    static final String CLUSTER_ID = "agent-e2e-cluster";
    static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private Configs() {
    }

    /** {@code services}: name to URL. */
    static String agent(int i, Map<String, String> services) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: v1alpha1
                kind: KubeSpanConfig
                enabled: true
                ---
                apiVersion: v1alpha1
                kind: DiscoveryIdentityConfig
                clusterID: %s
                clusterSecret: %s
                ---
                apiVersion: v1alpha1
                kind: KubeSpanAgentConfig
                hostname: node-%d.example
                nodename: node-%d
                addresses: ["10.10.0.%d"]
                mac: "%s"
                """.formatted(CLUSTER_ID, SECRET, i, i, i, mac(i)));
        services.forEach((name, url) -> yaml.append("""
                ---
                apiVersion: v1alpha1
                kind: DiscoveryServiceConfig
                name: %s
                endpoint: %s
                """.formatted(name, url)));
        return yaml.toString();
    }

    /** Discovery and KubeSpan off: only the node facts. */
    static String offline(int i) {
        return """
                apiVersion: v1alpha1
                kind: KubeSpanAgentConfig
                nodename: node-%d
                addresses: ["10.10.0.%d"]
                mac: "%s"
                """.formatted(i, i, mac(i));
    }

    static String mac(int i) {
        return String.format("02:00:00:00:00:%02x", i);
    }

    /** The KubeSpan address node {@code i} gets. */
    static IpPrefix kubespanAddress(int i) {
        return KubeSpanAddressing.nodeAddress(KubeSpanAddressing.subnet(CLUSTER_ID), KubeSpanAddressing.parseMac(mac(i)));
    }
}
