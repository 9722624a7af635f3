package dev.discoveryd.nodeclient.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.nodeclient.TestVectors;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AffiliateBlobTest {
    private static final JsonNode V = TestVectors.root().get("affiliate_data");
    private static final ClusterSecret SECRET =
            ClusterSecret.fromBase64(TestVectors.root().get("cluster_secret_b64").asText());

    @Test
    void encryptsVectorPlaintextToVectorBlob() {
        AffiliateCipher cipher = new AffiliateCipher(SECRET, new SecureRandom());
        assertThat(cipher.encrypt(TestVectors.hex(V.get("plaintext_proto")), TestVectors.hex(V.get("nonce"))))
                .isEqualTo(TestVectors.hex(V.get("blob")));
    }

    @Test
    void decryptsVectorBlobToVectorFields() throws Exception {
        AffiliateInfo info = new ClusterSealer(SECRET).openAffiliate(TestVectors.hex(V.get("blob")));
        JsonNode d = V.get("decoded");
        assertThat(info.nodeId()).isEqualTo(d.get("node_id").asText());
        assertThat(info.hostname()).isEqualTo(d.get("hostname").asText());
        assertThat(info.nodename()).isEqualTo(d.get("nodename").asText());
        assertThat(info.machineType()).isEqualTo(d.get("machine_type").asText());
        assertThat(info.operatingSystem()).isEqualTo(d.get("operating_system").asText());
        assertThat(info.addresses().stream().map(IpText::format).toList())
                .containsExactly("172.20.0.5", "fd83:b1f7:fcb5:2802::5");
        KubeSpanInfo ks = info.kubespan();
        assertThat(ks.publicKey()).isEqualTo(d.get("kubespan").get("public_key").asText());
        assertThat(IpText.format(ks.address())).isEqualTo(d.get("kubespan").get("address").asText());
        assertThat(ks.additionalAddresses()).extracting(IpPrefix::toString).containsExactly("10.244.1.0/24");
        assertThat(info.apiServerPort()).isNull();
    }

    @Test
    void reencodingDecodedFieldsGivesVectorPlaintext() throws Exception {
        byte[] plaintext = TestVectors.hex(V.get("plaintext_proto"));
        AffiliateInfo info = AffiliateCodec.decode(plaintext);
        assertThat(AffiliateCodec.encode(info)).isEqualTo(plaintext);
    }

    @Test
    void buildsVectorPlaintextFromTextFields() {
        JsonNode d = V.get("decoded");
        AffiliateInfo info = new AffiliateInfo(d.get("node_id").asText(), d.get("hostname").asText(),
                d.get("nodename").asText(), d.get("machine_type").asText(), d.get("operating_system").asText(),
                List.of(IpText.parse("172.20.0.5"), IpText.parse("fd83:b1f7:fcb5:2802::5")),
                new KubeSpanInfo(d.get("kubespan").get("public_key").asText(),
                        IpText.parse("fd7f:175a:b97c:5602:4f3:b3ff:fe5c:1f2a"), List.of(IpPrefix.parse("10.244.1.0/24"))),
                null);
        assertThat(AffiliateCodec.encode(info)).isEqualTo(TestVectors.hex(V.get("plaintext_proto")));
    }

    @Test
    void randomNonceBlobsRoundTripAndDiffer() throws Exception {
        ClusterSealer codec = new ClusterSealer(SECRET);
        AffiliateInfo info = new AffiliateInfo("id", "h", "n", "controlplane", "os", List.of(), null, 6443);
        byte[] a = codec.sealAffiliate(info);
        byte[] b = codec.sealAffiliate(info);
        assertThat(a).isNotEqualTo(b);
        assertThat(codec.openAffiliate(a)).isEqualTo(info);
        assertThat(codec.openAffiliate(b).controlPlaneApiServerPort()).hasValue(6443);
    }

    @Test
    void rejectsShortTamperedAndForeignBlobs() {
        ClusterSealer codec = new ClusterSealer(SECRET);
        byte[] blob = TestVectors.hex(V.get("blob"));
        byte[] tampered = blob.clone();
        tampered[20] ^= 1;
        byte[] other = new byte[32];
        Arrays.fill(other, (byte) 7);
        assertThatThrownBy(() -> codec.openAffiliate(new byte[11])).isInstanceOf(BlobFormatException.class);
        assertThatThrownBy(() -> codec.openAffiliate(tampered)).isInstanceOf(BlobFormatException.class);
        assertThatThrownBy(() -> new ClusterSealer(ClusterSecret.fromBytes(other)).openAffiliate(blob))
                .isInstanceOf(BlobFormatException.class);
        byte[] garbagePlaintext = new AffiliateCipher(SECRET, new SecureRandom()).encrypt(new byte[] {(byte) 0xff, 1, 2});
        assertThatThrownBy(() -> codec.openAffiliate(garbagePlaintext)).isInstanceOf(BlobFormatException.class);
    }

    @Test
    void secretMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> ClusterSecret.fromBase64("AAEC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterSecret.fromBase64("!!")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SECRET.toString()).doesNotContain("AAEC");
    }
}
