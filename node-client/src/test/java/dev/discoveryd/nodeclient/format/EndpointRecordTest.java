package dev.discoveryd.nodeclient.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.discoveryd.nodeclient.TestVectors;
import org.junit.jupiter.api.Test;

class EndpointRecordTest {
    private static final ClusterSecret SECRET =
            ClusterSecret.fromBase64(TestVectors.root().get("cluster_secret_b64").asText());

    @Test
    void everyVectorInBothDirections() throws Exception {
        JsonNode vectors = TestVectors.root().get("endpoints");
        assertThat(vectors.size()).isEqualTo(3);
        ClusterSealer codec = new ClusterSealer(SECRET);
        EndpointCipher cipher = new EndpointCipher(SECRET);
        for (JsonNode v : vectors) {
            NodeEndpoint endpoint = new NodeEndpoint(IpText.parse(v.get("ip_text").asText()), v.get("port").asInt());
            byte[] proto = TestVectors.hex(v.get("proto"));
            byte[] encrypted = TestVectors.hex(v.get("encrypted"));
            assertThat(AffiliateCodec.encodeEndpoint(endpoint)).isEqualTo(proto);
            assertThat(codec.sealEndpoint(endpoint)).isEqualTo(encrypted);
            assertThat(cipher.decrypt(encrypted)).isEqualTo(proto);
            assertThat(codec.openEndpoint(encrypted)).isEqualTo(endpoint);
            byte[] padded = TestVectors.hex(v.get("padded_record"));
            assertThat(EndpointCipher.pad(proto)).isEqualTo(padded);
        }
    }

    @Test
    void formatsEndpointsAsText() {
        assertThat(NodeEndpoint.parse("[2001:db8::1]:51820").toString()).isEqualTo("[2001:db8::1]:51820");
        assertThat(NodeEndpoint.parse("172.20.0.5:51820").toString()).isEqualTo("172.20.0.5:51820");
        assertThatThrownBy(() -> NodeEndpoint.parse("2001:db8::1:51820")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeEndpoint.parse("example.org:1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsRecordsThatAreNotWholeBlocks() {
        ClusterSealer codec = new ClusterSealer(SECRET);
        assertThatThrownBy(() -> codec.openEndpoint(new byte[15])).isInstanceOf(BlobFormatException.class);
        assertThatThrownBy(() -> codec.openEndpoint(new byte[0])).isInstanceOf(BlobFormatException.class);
        assertThatThrownBy(() -> codec.openEndpoint(new byte[16])).isInstanceOf(BlobFormatException.class);
    }
}
