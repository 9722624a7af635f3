package dev.discoveryd.agent.core;

import static dev.discoveryd.agent.core.EndpointFilterTest.ips;
import static dev.discoveryd.agent.core.IpSetTest.prefixes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The test cases of the Talos source quoted in kubespan-facts.md (A9, A14, A15). */
class TalosCasesTest {
    private static final String KEY_A = "mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7g=";
    private static final String KEY_B = "NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=";

    /** cl/local_affiliate_test.go: filters ["0.0.0.0/0","!192.168.0.0/16","2001::/16"], public IP, extra endpoint. */
    @Test
    void localAffiliateEndpoints() {
        NodeFacts node = new NodeFacts("example1.com", "example1", "worker", "Talos (v1.12.3)",
                ips("172.20.0.2", "10.5.0.1", "192.168.33.11", "fd50:8d60:4238:6302:f857:23ff:fe21:d1e0",
                        "2001:123:4567::1", "fd7f:175a:b97c:5603::1"));
        LocalKubeSpan ks = new LocalKubeSpan(KEY_A, IpText.parse("fd50:8d60:4238:6302:f857:23ff:fe21:d1e0"),
                List.of("0.0.0.0/0", "!192.168.0.0/16", "2001::/16"), List.of(NodeEndpoint.parse("1.2.3.4:5678")),
                List.of(), 51820);
        AffiliateSpec spec = LocalAffiliate.build("7x1SuC8Ege5BGXdAfTEff5iQnlWZLfv9h1LGy3Hg5ke", node, Optional.of(ks),
                ips("1.1.1.1"));
        assertThat(spec.kubespan().endpoints()).extracting(NodeEndpoint::toString).containsExactly(
                "172.20.0.2:51820", "10.5.0.1:51820", "1.1.1.1:51820", "[2001:123:4567::1]:51820", "1.2.3.4:5678");
        assertThat(spec.addresses()).contains(IpText.parse("fd50:8d60:4238:6302:f857:23ff:fe21:d1e0"));
        assertThat(spec.controlPlanePort()).isEmpty();
    }

    @Test
    void localAffiliateWithoutFiltersKeepsEverythingButKubeSpanAndSideroLinkUlas() {
        NodeFacts node = new NodeFacts("h", "n", "worker", "os",
                ips("10.0.0.1", "fd50:8d60:4238:6302::1", "fd7f:175a:b97c:5603::1"));
        LocalKubeSpan ks = new LocalKubeSpan(KEY_A, IpText.parse("fd50:8d60:4238:6302::1"), null, List.of(),
                List.of(), 51820);
        AffiliateSpec spec = LocalAffiliate.build("id", node, Optional.of(ks), ips("10.0.0.1", "203.0.113.9"));
        assertThat(spec.kubespan().endpoints()).extracting(NodeEndpoint::toString)
                .containsExactly("10.0.0.1:51820", "203.0.113.9:51820");
        assertThat(LocalAffiliate.build("id", node, Optional.empty(), List.of()).kubespan().present()).isFalse();
    }

    /** ks/peer_spec_test.go: additional 10.244.3.1/24 and 10.244.3.0/32 minus 10.244.3.128/25. */
    @Test
    void allowedIpsExcludeBeforeTheKubeSpanAddress() {
        AffiliateSpec peer = affiliate("bbb", KEY_A, List.of("192.168.3.4"), "fd50:8d60:4238:6302:f857:23ff:fe21:d1e0",
                prefixes("10.244.3.1/24", "10.244.3.0/32"), prefixes("10.244.3.128/25"));
        PeerSpecs.Result result = PeerSpecs.build(List.of(peer, affiliate("self", KEY_B, List.of("10.0.0.1"), null,
                List.of(), List.of())), "self");
        assertThat(result.peers()).singleElement().satisfies(p -> {
            assertThat(p.allowedIps()).extracting(IpPrefix::toString)
                    .containsExactly("10.244.3.0/25", "192.168.3.4/32", "fd50:8d60:4238:6302:f857:23ff:fe21:d1e0/128");
            assertThat(p.label()).isEqualTo("node-bbb");
            assertThat(p.publicKey()).isEqualTo(KEY_A);
        });
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void exclusionsNeverRemoveTheKubeSpanAddress() {
        AffiliateSpec peer = affiliate("bbb", KEY_A, List.of("192.168.3.4"), "fd50::1", List.of(), prefixes("::/0", "0.0.0.0/0"));
        assertThat(PeerSpecs.build(List.of(peer), "self").peers().get(0).allowedIps()).extracting(IpPrefix::toString)
                .containsExactly("fd50::1/128");
    }

    /** TestIPOverlap: the later peer's 10.244.2.0/23 shrinks to 10.244.2.0/24; both peers stay. */
    @Test
    void overlapIsSubtractedInNodeIdOrder() {
        AffiliateSpec later = affiliate("node-2", KEY_B, List.of(), null, prefixes("10.244.2.0/23"), List.of());
        AffiliateSpec first = affiliate("node-1", KEY_A, List.of(), null, prefixes("10.244.3.0/24"), List.of());
        PeerSpecs.Result result = PeerSpecs.build(List.of(later, first), "self");
        assertThat(result.peers()).extracting(PeerSpec::affiliateId).containsExactly("node-1", "node-2");
        assertThat(result.peers().get(1).allowedIps()).extracting(IpPrefix::toString).containsExactly("10.244.2.0/24");
        assertThat(result.warnings()).singleElement().asString().startsWith("peer address overlap");
    }

    @Test
    void peerWhollyOverlappedIsKeptEmpty() {
        AffiliateSpec a = affiliate("a", KEY_A, List.of("10.0.0.1"), null, List.of(), List.of());
        AffiliateSpec b = affiliate("b", KEY_B, List.of("10.0.0.1"), null, List.of(), List.of());
        PeerSpecs.Result result = PeerSpecs.build(List.of(a, b), "self");
        assertThat(result.peers()).hasSize(2);
        assertThat(result.peers().get(1).allowedIps()).isEmpty();
        assertThat(result.warnings()).anyMatch(w -> w.startsWith("conflict resolution removed all ranges"));
    }

    @Test
    void affiliatesWithoutPublicKeyAreNotPeers() {
        AffiliateSpec noKey = affiliate("a", "", List.of("10.0.0.1"), null, List.of(), List.of());
        assertThat(PeerSpecs.build(List.of(noKey), "self").peers()).isEmpty();
    }

    @Test
    void affiliatesWithABrokenKeyAreSkippedWithAWarning() {
        AffiliateSpec broken = affiliate("a", "not-a-key", List.of("10.0.0.1"), null, List.of(), List.of());
        PeerSpecs.Result result = PeerSpecs.build(List.of(broken), "self");
        assertThat(result.peers()).isEmpty();
        assertThat(result.warnings()).singleElement().asString().contains("not a WireGuard key");
    }

    static AffiliateSpec affiliate(String id, String key, List<String> addresses, String ksAddress,
                                   List<IpPrefix> additional, List<IpPrefix> exclude) {
        return new AffiliateSpec(id, Stream.of(addresses.toArray(String[]::new)).map(IpText::parse).toList(),
                id + ".example", "node-" + id, "Talos (v1.12.3)", "worker",
                new KubeSpanSpec(key, Optional.ofNullable(ksAddress).map(IpText::parse), additional,
                        List.of(NodeEndpoint.parse("192.0.2.1:51820")), exclude),
                OptionalInt.empty());
    }
}
