package dev.discoveryd.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import org.junit.jupiter.api.Test;

class ConfigParserTest {
    static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    static final String LEGACY = """
            version: v1alpha1
            machine:
              type: worker
              install: { disk: /dev/sda }
              network:
                hostname: edge-1
                kubespan:
                  enabled: true
                  mtu: 1400
                  filters:
                    endpoints: ["0.0.0.0/0", "!192.168.0.0/16", "::/0"]
            cluster:
              id: 8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=
              secret: %s
              discovery:
                enabled: true
                registries:
                  service: { endpoint: "http://127.0.0.1:3000/some/path" }
                  kubernetes: { disabled: true }
            """.formatted(SECRET);

    @Test
    void legacyDocument() throws Exception {
        ConfigParser.Parsed parsed = ConfigParser.parse(LEGACY);
        AgentConfig c = parsed.config();
        assertThat(c.clusterId()).isEqualTo("8XuV9TZHW08DOk3bVxQjH9ih_TBKjnh-j44tsCLSBzo=");
        assertThat(c.services()).containsExactly(new DiscoveryService("legacy", "127.0.0.1:3000", true));
        assertThat(c.kubespan().enabled()).isTrue();
        assertThat(c.kubespan().mtu()).isEqualTo(1400);
        assertThat(c.kubespan().forceRouting()).isTrue();
        assertThat(c.kubespan().endpointFilters()).containsExactly("0.0.0.0/0", "!192.168.0.0/16", "::/0");
        assertThat(c.node().hostname()).isEqualTo("edge-1");
        assertThat(c.node().machineType()).isEqualTo("worker");
        assertThat(parsed.warnings()).isEmpty();
    }

    @Test
    void legacyDefaultsToTheTalosService() throws Exception {
        AgentConfig c = ConfigParser.parse("cluster: {id: x, secret: " + SECRET + ", discovery: {enabled: true}}").config();
        assertThat(c.services()).containsExactly(new DiscoveryService("legacy", "discovery.talos.dev:443", false));
        assertThat(c.kubespan().enabled()).isFalse();
        assertThat(c.kubespan().endpointFilters()).isNull();
        assertThat(ConfigParser.parse("cluster: {id: x}").config().discoveryEnabled()).isFalse();
    }

    @Test
    void multiDocument() throws Exception {
        String yaml = """
                apiVersion: v1alpha1
                kind: KubeSpanConfig
                enabled: true
                allowDownPeerBypass: true
                filters:
                  excludeAdvertisedNetworks: ["192.168.1.0/24"]
                ---
                apiVersion: v1alpha1
                kind: KubeSpanEndpointsConfig
                extraAnnouncedEndpoints: ["192.168.13.46:52000"]
                ---
                apiVersion: v1alpha1
                kind: DiscoveryServiceConfig
                name: primary
                endpoint: https://discovery.example.org/
                ---
                apiVersion: v1alpha1
                kind: DiscoveryServiceConfig
                name: backup
                endpoint: grpc://10.0.0.5:8443
                ---
                apiVersion: v1alpha1
                kind: DiscoveryIdentityConfig
                clusterID: my-cluster
                clusterSecret: %s
                ---
                apiVersion: v1alpha1
                kind: KubeSpanAgentConfig
                nodename: edge-7
                addresses: ["10.0.0.7"]
                mac: "02:42:ac:14:00:05"
                listenPort: 51821
                ---
                apiVersion: v1alpha1
                kind: HostnameConfig
                hostname: ignored
                """.formatted(SECRET);
        ConfigParser.Parsed parsed = ConfigParser.parse(yaml);
        AgentConfig c = parsed.config();
        assertThat(c.services()).extracting(DiscoveryService::name, DiscoveryService::endpoint, DiscoveryService::insecure)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("primary", "discovery.example.org:443", false),
                        org.assertj.core.groups.Tuple.tuple("backup", "10.0.0.5:8443", false));
        assertThat(c.clusterId()).isEqualTo("my-cluster");
        assertThat(c.kubespan().forceRouting()).isFalse();
        assertThat(c.kubespan().extraEndpoints()).containsExactly(NodeEndpoint.parse("192.168.13.46:52000"));
        assertThat(c.kubespan().excludeAdvertisedNetworks()).hasSize(1);
        assertThat(c.kubespan().listenPort()).isEqualTo(51821);
        assertThat(c.node().nodename()).isEqualTo("edge-7");
        assertThat(c.node().addresses()).containsExactly(IpText.parse("10.0.0.7"));
        assertThat(parsed.warnings()).singleElement().asString().contains("HostnameConfig");
    }

    @Test
    void errorsNameTheField() {
        assertError("cluster: {id: x, secret: c2hvcnQ=, discovery: {enabled: true}}", "cluster.secret: must be standard base64 of 32 bytes");
        assertError("cluster: {secret: " + SECRET + ", discovery: {enabled: true}}", "cluster.id: required");
        assertError("machine: {network: {kubespan: {enabled: true}}}", "machine.network.kubespan.enabled: KubeSpan requires cluster discovery");
        assertError("machine: {network: {kubespan: {mtu: 1000}}}", "machine.network.kubespan.mtu: must be at least 1280");
        assertError("machine: {network: {kubespan: {enabeld: true}}}", "machine.network.kubespan.enabeld: unknown field");
        assertError("machine: {network: {kubespan: {filters: {endpoints: [\"!10.0.0.0/40\"]}}}}",
                "machine.network.kubespan.filters.endpoints[0]: not a CIDR or IP: \"!10.0.0.0/40\"");
        assertError("machine: {network: {kubespan: {filters: {excludeAdvertisedNetworks: [\"10.0.0.1\"]}}}}",
                "machine.network.kubespan.filters.excludeAdvertisedNetworks[0]: must be a prefix");
        assertError("machine: {type: toaster}", "machine.type: must be worker, controlplane or init");
        assertError("cluster: {id: x, secret: " + SECRET + ", discovery: {enabled: true, registries: {service: {endpoint: \"ftp://x\"}}}}",
                "cluster.discovery.registries.service.endpoint: scheme must be http, https or grpc");
        assertError("kind: DiscoveryServiceConfig\nname: a\nendpoint: https://x\n---\nkind: DiscoveryServiceConfig\nname: a\nendpoint: https://y\n"
                + "---\nkind: DiscoveryIdentityConfig\nclusterID: c\nclusterSecret: " + SECRET, "DiscoveryServiceConfig.name: \"a\" is given twice");
        assertError("kind: KubeSpanConfig\nenabled: true\n---\nmachine: {network: {kubespan: {enabled: true}}}",
                "KubeSpanConfig: conflicts with machine.network.kubespan");
        assertError("kind: KubeSpanAgentConfig\nmac: nope", "KubeSpanAgentConfig.mac: not a MAC address");
        assertError("cluster: [1, 2", "not valid YAML");
    }

    private static void assertError(String yaml, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}
