package dev.discoveryd.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RegistryMergeTest {
    @Test
    void listsAreUnionsScalarsOverwrittenByNonEmptyOsKeepsFirst() {
        AffiliateSpec a = new AffiliateSpec("n1", List.of(IpText.parse("10.0.0.1")), "host-a", "", "OS-A", "worker",
                new KubeSpanSpec("", Optional.empty(), List.of(), List.of(NodeEndpoint.parse("10.0.0.1:51820")), List.of()),
                OptionalInt.empty());
        AffiliateSpec b = new AffiliateSpec("n1", List.of(IpText.parse("10.0.0.2"), IpText.parse("10.0.0.1")), "", "node-1",
                "OS-B", AffiliateSpec.UNKNOWN_TYPE,
                new KubeSpanSpec("KEY", Optional.of(IpText.parse("fd00::1")), List.of(),
                        List.of(NodeEndpoint.parse("10.0.0.2:51820"), NodeEndpoint.parse("10.0.0.1:51820")), List.of()),
                OptionalInt.of(6443));
        List<AffiliateSpec> merged = RegistryMerge.merge(Map.of("service/b/n1", b, "service/a/n1", a));
        assertThat(merged).singleElement().satisfies(m -> {
            assertThat(m.addresses()).extracting(IpText::format).containsExactly("10.0.0.1", "10.0.0.2");
            assertThat(m.hostname()).isEqualTo("host-a");
            assertThat(m.nodename()).isEqualTo("node-1");
            assertThat(m.operatingSystem()).isEqualTo("OS-A");
            assertThat(m.machineType()).isEqualTo("worker");
            assertThat(m.kubespan().publicKey()).isEqualTo("KEY");
            assertThat(m.kubespan().endpoints()).extracting(NodeEndpoint::toString)
                    .containsExactly("10.0.0.1:51820", "10.0.0.2:51820");
            assertThat(m.controlPlanePort()).hasValue(6443);
        });
    }

    @Test
    void differentNodesStayApartSortedById() {
        AffiliateSpec x = TalosCasesTest.affiliate("x", "K1", List.of("10.0.0.1"), null, List.of(), List.of());
        AffiliateSpec y = TalosCasesTest.affiliate("y", "K2", List.of("10.0.0.2"), null, List.of(), List.of());
        assertThat(RegistryMerge.merge(Map.of("service/b/y", y, "service/a/x", x))).extracting(AffiliateSpec::nodeId)
                .containsExactly("x", "y");
    }

    @Test
    void membersNeedANodename() {
        AffiliateSpec local = TalosCasesTest.affiliate("me", "K0", List.of("10.0.0.9"), null, List.of(), List.of());
        AffiliateSpec nameless = new AffiliateSpec("z", List.of(), "z", "", "", "worker", KubeSpanSpec.NONE, OptionalInt.empty());
        assertThat(Member.of(local, List.of(nameless))).extracting(Member::id).containsExactly("node-me");
    }

    @Test
    void wireMachineTypes() {
        assertThat(MachineType.parse("")).isEqualTo("worker");
        assertThat(MachineType.parse("controlplane")).isEqualTo("controlplane");
        assertThat(MachineType.parse("toaster")).isEqualTo("unknown");
    }
}
