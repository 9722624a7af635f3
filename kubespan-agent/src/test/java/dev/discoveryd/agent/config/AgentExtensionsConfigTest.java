package dev.discoveryd.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Our KubeSpanAgentConfig settings beyond Talos: directNetworks, endpointProbeInterval, wireguard. */
class AgentExtensionsConfigTest {
    private static AgentConfig parse(String agentFields) throws ConfigException {
        return ConfigParser.parse("""
                apiVersion: v1alpha1
                kind: KubeSpanAgentConfig
                nodename: n1
                %s
                """.formatted(agentFields)).config();
    }

    @Test
    void defaults() throws Exception {
        KubeSpanSettings ks = parse("").kubespan();
        assertThat(ks.directNetworks()).isEmpty();
        assertThat(ks.endpointProbeInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ks.wireGuard()).isEqualTo("auto");
    }

    @Test
    void directNetworksAreParsed() throws Exception {
        assertThat(parse("directNetworks: [\"192.168.10.0/24\", \"fd00:10::/64\"]").kubespan().directNetworks())
                .containsExactly(IpPrefix.parse("192.168.10.0/24"), IpPrefix.parse("fd00:10::/64"));
    }

    @Test
    void aBadDirectNetworkIsAnErrorNamingTheField() {
        assertThatThrownBy(() -> parse("directNetworks: [\"192.168.10.0/24\", \"lan\"]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("KubeSpanAgentConfig.directNetworks[1]: must be a prefix (CIDR), got \"lan\"");
        assertThatThrownBy(() -> parse("directNetworks: [\"10.1.2.3/16\"]"))
                .hasMessage("KubeSpanAgentConfig.directNetworks[0]: host bits set in \"10.1.2.3/16\" (did you mean 10.1.0.0/16?)");
        assertThatThrownBy(() -> parse("directNetworks: [\"10.0.0.0/33\"]"))
                .hasMessageStartingWith("KubeSpanAgentConfig.directNetworks[0]: prefix length 33 out of range");
        assertThatThrownBy(() -> parse("directNetworks: \"10.0.0.0/8\""))
                .hasMessage("KubeSpanAgentConfig.directNetworks: must be a list");
    }

    @Test
    void probeIntervalIsADurationAndZeroMeansTalosPace() throws Exception {
        assertThat(parse("endpointProbeInterval: 0s").kubespan().endpointProbeInterval()).isZero();
        assertThat(parse("endpointProbeInterval: \"0\"").kubespan().endpointProbeInterval()).isZero();
        assertThat(parse("endpointProbeInterval: 1500ms").kubespan().endpointProbeInterval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(parse("endpointProbeInterval: 1m").kubespan().endpointProbeInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> parse("endpointProbeInterval: 5"))
                .hasMessage("KubeSpanAgentConfig.endpointProbeInterval: must be a string");
        assertThatThrownBy(() -> parse("endpointProbeInterval: fast"))
                .hasMessage("KubeSpanAgentConfig.endpointProbeInterval: must be a duration such as 5s, 500ms or 1m, got \"fast\"");
        assertThatThrownBy(() -> parse("endpointProbeInterval: 100ms"))
                .hasMessage("KubeSpanAgentConfig.endpointProbeInterval: must be 0s (off: Talos's pace) or between 1s and 5m, got 100ms");
    }

    @Test
    void wireguardModeIsOneOfThree() throws Exception {
        assertThat(parse("wireguard: kernel").kubespan().wireGuard()).isEqualTo("kernel");
        assertThat(parse("wireguard: userspace").kubespan().wireGuard()).isEqualTo("userspace");
        assertThatThrownBy(() -> parse("wireguard: boringtun"))
                .hasMessage("KubeSpanAgentConfig.wireguard: must be one of auto, kernel, userspace, got \"boringtun\"");
    }
}
