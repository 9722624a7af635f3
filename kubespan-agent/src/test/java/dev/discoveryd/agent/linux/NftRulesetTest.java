package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NftRulesetTest {
    static final List<IpPrefix> MARKED = List.of(IpPrefix.parse("10.200.0.2/32"), IpPrefix.parse("10.200.0.3/32"),
            IpPrefix.parse("10.9.0.0/16"), IpPrefix.parse("fd20:200::2/128"), IpPrefix.parse("fd20:200::3/128"));
    static final List<IpPrefix> DIRECT = List.of(IpPrefix.parse("192.168.1.0/24"));
    static final FirewallState WANT = FirewallState.kubespan(MARKED, 1420);

    @Test
    void rendersTalosChainsAsOneReplacingTransaction() {
        String nft = NftRuleset.render(FirewallState.kubespan(List.of(IpPrefix.parse("10.200.0.2/32"),
                IpPrefix.parse("fd20:200::2/128")), 1420), List.of());
        assertThat(nft).isEqualTo("""
                add table inet talos
                add chain inet talos kubespan_prerouting
                flush chain inet talos kubespan_prerouting
                delete chain inet talos kubespan_prerouting
                add chain inet talos kubespan_outgoing
                flush chain inet talos kubespan_outgoing
                delete chain inet talos kubespan_outgoing
                add chain inet talos kubespan_prerouting { type filter hook prerouting priority filter; policy accept; }
                add rule inet talos kubespan_prerouting meta mark & 0x00000060 == 0x00000020 accept
                add rule inet talos kubespan_prerouting ip daddr { 10.200.0.2/32 } meta mark set meta mark & 0xffffff9f ^ 0x00000040 accept
                add rule inet talos kubespan_prerouting ip6 daddr { fd20:200::2/128 } meta mark set meta mark & 0xffffff9f ^ 0x00000040 accept
                add chain inet talos kubespan_outgoing { type route hook output priority filter; policy accept; }
                add rule inet talos kubespan_outgoing meta mark & 0x00000060 == 0x00000020 accept
                add rule inet talos kubespan_outgoing oifname "lo" accept
                add rule inet talos kubespan_outgoing ip daddr { 10.200.0.2/32 } tcp flags & (syn | rst) == syn tcp option maxseg size > 1368 tcp option maxseg size set 1368
                add rule inet talos kubespan_outgoing ip6 daddr { fd20:200::2/128 } tcp flags & (syn | rst) == syn tcp option maxseg size > 1348 tcp option maxseg size set 1348
                add rule inet talos kubespan_outgoing ip daddr { 10.200.0.2/32 } meta mark set meta mark & 0xffffff9f ^ 0x00000040 accept
                add rule inet talos kubespan_outgoing ip6 daddr { fd20:200::2/128 } meta mark set meta mark & 0xffffff9f ^ 0x00000040 accept
                """);
    }

    @Test
    void anEmptyRoutedSetLeavesOnlyTheSkipRules() {
        String nft = NftRuleset.render(FirewallState.kubespan(List.of(), 1420), List.of());
        assertThat(nft).doesNotContain("daddr").contains("oifname \"lo\" accept");
    }

    @Test
    void readsBackWhatNftPrintsAsTheSameMeaning() throws IOException {
        // recorded from nft 1.0.6 after applying render(WANT, DIRECT) next to a foreign chain: nft merged the set
        // elements into intervals and rewrote "& 0xffffff9f ^ 0x40" as "& 0xffffffdf | 0x40"
        NftInstalled got = NftInstalled.parse("talos", fixture("installed-with-direct-and-other-chain.json"));
        assertThat(got.problem()).isEmpty();
        assertThat(got.otherChains()).isTrue();
        assertThat(got.direct()).containsExactlyElementsOf(DIRECT);
        assertThat(got.matches(WANT, DIRECT)).isTrue();
        assertThat(got.matches(WANT, List.of())).as("direct networks differ").isFalse();
        assertThat(got.matches(FirewallState.kubespan(MARKED.subList(0, 4), 1420), DIRECT)).isFalse();
        assertThat(got.matches(FirewallState.kubespan(MARKED, 1400), DIRECT)).as("MSS differs").isFalse();
    }

    @Test
    void rulesWeDidNotWriteAreReportedNotMisread() throws IOException {
        String json = fixture("installed-with-direct-and-other-chain.json");
        NftInstalled dropped = NftInstalled.parse("talos", json.replaceFirst("\\{\"accept\": null}", "{\"drop\": null}"));
        assertThat(dropped.problem()).isPresent();
        assertThat(dropped.matches(WANT, DIRECT)).isFalse();
        NftInstalled otherMark = NftInstalled.parse("talos", json.replace("\"|\"", "\"^\"").replace(": 64", ": 96"));
        assertThat(otherMark.matches(WANT, DIRECT)).isFalse();
    }

    @Test
    void aTableWithoutOurChainsIsAbsent() throws IOException {
        NftInstalled got = NftInstalled.parse("talos", "{\"nftables\": [{\"metainfo\": {}}, {\"table\": {\"family\":"
                + " \"inet\", \"name\": \"talos\"}}, {\"chain\": {\"name\": \"mine\"}}]}");
        assertThat(got.chainsPresent()).isFalse();
        assertThat(got.otherChains()).isTrue();
        assertThat(NftRuleset.renderTearDown("talos", true)).doesNotContain("delete table");
        assertThat(NftRuleset.renderTearDown("talos", false)).isEqualTo("add table inet talos\ndelete table inet talos\n");
    }

    @Test
    void prefixSetsMergeAndCoverMinimally() {
        assertThat(PrefixSet.minimal(List.of(IpPrefix.parse("10.0.0.1/32"), IpPrefix.parse("10.0.0.0/32"),
                IpPrefix.parse("10.0.0.2/31"), IpPrefix.parse("fd00::/64"), IpPrefix.parse("10.1.0.0/16"),
                IpPrefix.parse("10.1.2.0/24")))).extracting(Object::toString)
                .containsExactly("10.0.0.0/30", "10.1.0.0/16", "fd00::/64");
        assertThat(PrefixSet.range(IpPrefix.parse("10.0.0.1").ip(), IpPrefix.parse("10.0.0.6").ip()))
                .extracting(Object::toString).containsExactly("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32");
        assertThat(PrefixSet.minimal(List.of(IpPrefix.parse("10.244.3.1/24")))).extracting(Object::toString)
                .containsExactly("10.244.3.0/24");
        assertThat(PrefixSet.minimal(List.of(IpPrefix.parse("0.0.0.0/0")))).extracting(Object::toString)
                .containsExactly("0.0.0.0/0");
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = NftRulesetTest.class.getResourceAsStream("/nft/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
