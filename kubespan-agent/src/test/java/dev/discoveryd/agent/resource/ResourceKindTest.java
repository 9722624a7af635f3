package dev.discoveryd.agent.resource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceKindTest {
    @Test
    void cosiAliases() {
        assertThat(ResourceKind.KUBESPAN_PEER_SPECS.aliases()).containsExactly("kubespanpeerspec", "kubespanpeerspecs",
                "kubespanpeerspecs.kubespan.talos.dev", "ksps");
        assertThat(ResourceKind.MEMBERS.aliases()).contains("member", "members", "m", "ms");
        // ksps is shared by peer specs and peer statuses; the first declared wins, as in talosctl's lookup.
        assertThat(ResourceKind.resolve("KSPS")).contains(ResourceKind.KUBESPAN_PEER_SPECS);
        assertThat(ResourceKind.resolve("kubespanpeerstatus")).contains(ResourceKind.KUBESPAN_PEER_STATUSES);
        assertThat(ResourceKind.resolve("ksi")).contains(ResourceKind.KUBESPAN_IDENTITIES);
        assertThat(ResourceKind.resolve("nope")).isEmpty();
    }

    @Test
    void sensitiveKindsAreTheOnesWithSecrets() {
        assertThat(ResourceKind.KUBESPAN_IDENTITIES.sensitive()).isTrue();
        assertThat(ResourceKind.DISCOVERY_CONFIGS.sensitive()).isTrue();
        assertThat(ResourceKind.KUBESPAN_CONFIGS.sensitive()).isTrue();
        assertThat(ResourceKind.KUBESPAN_PEER_SPECS.sensitive()).isFalse();
    }
}
