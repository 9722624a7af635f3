package dev.discoveryd.agent.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpPrefixTest {
    @Test
    void masksAndPrintsCanonicalText() {
        assertThat(IpPrefix.parse("10.244.3.1/24")).hasToString("10.244.3.0/24");
        assertThat(IpPrefix.parse("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169")).hasToString(
                "fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128");
        assertThat(IpPrefix.parse("FD00:0:0:0:0:0:0:1/64")).hasToString("fd00::/64");
        assertThat(IpPrefix.parse("fd20:0:0:1:0:0:0:1/128")).hasToString("fd20:0:0:1::1/128");
        assertThat(IpPrefix.parse("1:0:0:2:0:0:0:3")).hasToString("1:0:0:2::3/128");
        assertThat(IpPrefix.parse("1:0:2:3:4:5:6:7")).hasToString("1:0:2:3:4:5:6:7/128"); // one zero group stays
        assertThat(IpPrefix.parse("::/0")).hasToString("::/0");
        assertThat(IpPrefix.parse("::1")).hasToString("::1/128");
    }

    @Test
    void containsAndFamilies() {
        IpPrefix p = IpPrefix.parse("10.200.0.0/24");
        assertThat(p.contains(IpPrefix.literal("10.200.0.7"))).isTrue();
        assertThat(p.contains(IpPrefix.literal("10.201.0.7"))).isFalse();
        assertThat(p.contains(IpPrefix.literal("::1"))).isFalse();
        assertThat(p.isV4()).isTrue();
    }

    @Test
    void rejectsNamesAndBadLengths() {
        assertThatThrownBy(() -> IpPrefix.parse("example.com")).hasMessageContaining("not an IP");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/x")).hasMessageContaining("bad prefix length");
    }
}
