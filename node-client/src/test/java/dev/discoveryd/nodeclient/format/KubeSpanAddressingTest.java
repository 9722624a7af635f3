package dev.discoveryd.nodeclient.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.nodeclient.TestVectors;
import org.junit.jupiter.api.Test;

class KubeSpanAddressingTest {
    @Test
    void everyVectorInBothDirections() {
        JsonNode vectors = TestVectors.root().get("kubespan_ula");
        assertThat(vectors.size()).isEqualTo(2);
        for (JsonNode v : vectors) {
            IpPrefix subnet = KubeSpanAddressing.subnet(v.get("cluster_id_text").asText());
            assertThat(subnet.toString()).isEqualTo(v.get("subnet").asText());
            assertThat(IpPrefix.parse(v.get("subnet").asText())).isEqualTo(subnet);
            IpPrefix address = KubeSpanAddressing.nodeAddress(subnet, KubeSpanAddressing.parseMac(v.get("mac").asText()));
            assertThat(address.toString()).isEqualTo(v.get("address").asText());
            assertThat(IpPrefix.parse(v.get("address").asText())).isEqualTo(address);
        }
    }

    @Test
    void formatsIpv6Canonically() {
        assertThat(IpText.format(IpText.parse("2001:0db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpText.format(IpText.parse("::1"))).isEqualTo("::1");
        assertThat(IpText.format(IpText.parse("1:0:2:0:3:0:4:0"))).isEqualTo("1:0:2:0:3:0:4:0");
        assertThat(IpText.format(IpText.parse("::"))).isEqualTo("::");
    }
}
