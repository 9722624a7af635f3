package dev.discoveryd.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.nodeclient.format.AffiliateCodec;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What the agent publishes is the Talos blob, byte for byte (test-vectors.json affiliate_data). */
class WireAffiliateVectorTest {
    @Test
    void theVectorAffiliateEncodesToTheVectorBytesAndBack() throws Exception {
        JsonNode vector;
        try (InputStream in = getClass().getResourceAsStream("/test-vectors.json")) {
            vector = new ObjectMapper().readTree(in).get("affiliate_data");
        }
        JsonNode d = vector.get("decoded");
        AffiliateSpec spec = new AffiliateSpec(d.get("node_id").asText(),
                List.of(IpText.parse("172.20.0.5"), IpText.parse("fd83:b1f7:fcb5:2802::5")),
                d.get("hostname").asText(), d.get("nodename").asText(), d.get("operating_system").asText(),
                d.get("machine_type").asText(),
                new KubeSpanSpec(d.get("kubespan").get("public_key").asText(),
                        Optional.of(IpText.parse(d.get("kubespan").get("address").asText())),
                        List.of(IpPrefix.parse("10.244.1.0/24")), List.of(), List.of()),
                OptionalInt.empty());
        byte[] expected = HexFormat.of().parseHex(vector.get("plaintext_proto").asText());
        assertThat(HexFormat.of().formatHex(AffiliateCodec.encode(WireAffiliate.toInfo(spec))))
                .isEqualTo(HexFormat.of().formatHex(expected));

        AffiliateInfo decoded = AffiliateCodec.decode(expected);
        assertThat(AffiliateSpec.fromWire(decoded, List.of())).isEqualTo(spec);
    }

    @Test
    void excludedNetworksAreLeftOutOfWhatIsAdvertisedButNeverTheKubeSpanAddress() {
        AffiliateSpec spec = new AffiliateSpec("id", List.of(IpText.parse("192.168.1.5"), IpText.parse("10.0.0.5"),
                IpText.parse("fd50::5")), "h", "n", "os", "worker",
                new KubeSpanSpec("k", Optional.of(IpText.parse("fd50::5")), List.of(IpPrefix.parse("10.244.0.0/16")),
                        List.of(), List.of(IpPrefix.parse("192.168.0.0/16"), IpPrefix.parse("10.244.128.0/17"),
                        IpPrefix.parse("fd50::/16"))), OptionalInt.empty());
        AffiliateInfo info = WireAffiliate.toInfo(spec);
        assertThat(info.addresses()).extracting(IpText::format).containsExactly("10.0.0.5", "fd50::5");
        assertThat(info.kubespan().additionalAddresses()).extracting(IpPrefix::toString).containsExactly("10.244.0.0/17");
        assertThat(info.controlPlaneApiServerPort()).isEmpty();
    }
}
