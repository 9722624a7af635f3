package dev.discoveryd.nodeclient.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples of RFC 7541 Appendix C, plus the malformed blocks a decoder must refuse. */
class HpackDecoderTest {
    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    @Test
    void huffmanCodesAreTheRfcs() {
        assertThat(Huffman.code(0)).isEqualTo(0x1ff8);
        assertThat(Huffman.length(0)).isEqualTo(13);
        assertThat(Huffman.code('a')).isEqualTo(0x3);
        assertThat(Huffman.length('a')).isEqualTo(5);
        assertThat(Huffman.code(10)).isEqualTo(0x3ffffffc);
        assertThat(Huffman.code(256)).isEqualTo(0x3fffffff);
        assertThat(Huffman.length(256)).isEqualTo(30);
        assertThat(Huffman.code(255)).isEqualTo(0x3ffffee);
    }

    @Test
    void huffmanStringsOfAppendixC() throws Exception {
        assertThat(huffman("f1e3 c2e5 f23a 6ba0 ab90 f4ff")).isEqualTo("www.example.com");
        assertThat(huffman("a8eb 1064 9cbf")).isEqualTo("no-cache");
        assertThat(huffman("25a8 49e9 5ba9 7d7f")).isEqualTo("custom-key");
        assertThat(huffman("25a8 49e9 5bb8 e8b4 bf")).isEqualTo("custom-value");
        assertThat(huffman("6402")).isEqualTo("302");
        assertThat(huffman("aec3 771a 4b")).isEqualTo("private");
        assertThat(huffman("d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff")).isEqualTo("Mon, 21 Oct 2013 20:13:21 GMT");
        assertThat(huffman("9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3")).isEqualTo("https://www.example.com");
    }

    @Test
    void everyByteRoundTripsThroughItsCode() throws Exception {
        for (int symbol = 0; symbol < 256; symbol++) {
            long bits = Huffman.code(symbol);
            int length = Huffman.length(symbol);
            int padded = (length + 7) / 8 * 8;
            bits = bits << (padded - length) | ((1L << (padded - length)) - 1); // pad with ones, as EOS's prefix
            byte[] encoded = new byte[padded / 8];
            for (int i = 0; i < encoded.length; i++) {
                encoded[i] = (byte) (bits >>> (8 * (encoded.length - 1 - i)));
            }
            assertThat(Huffman.decode(encoded, 0, encoded.length)).as("symbol %d", symbol).containsExactly((byte) symbol);
        }
    }

    @Test
    void badHuffmanPaddingAndEosAreRefused() {
        // "0" is 00000 (5 bits): padding with zeros instead of ones.
        assertThatThrownBy(() -> Huffman.decode(new byte[] {0x00}, 0, 1)).isInstanceOf(HpackException.class);
        // 8 bits of padding (a whole 0xff after a complete code) is more than 7.
        assertThatThrownBy(() -> Huffman.decode(new byte[] {0x07, (byte) 0xff}, 0, 2)).isInstanceOf(HpackException.class);
        assertThatThrownBy(() -> Huffman.decode(hex("ffff ffff"), 0, 4)).isInstanceOf(HpackException.class);
    }

    @Test
    void requestsWithHuffmanShareADynamicTable() throws Exception {
        HpackDecoder decoder = new HpackDecoder(4096, 64 * 1024);
        assertThat(decoder.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))).containsExactly(
                h(":method", "GET"), h(":scheme", "http"), h(":path", "/"), h(":authority", "www.example.com"));
        assertThat(decoder.tableSize()).isEqualTo(57);
        assertThat(decoder.decode(hex("8286 84be 5886 a8eb 1064 9cbf"))).containsExactly(
                h(":method", "GET"), h(":scheme", "http"), h(":path", "/"), h(":authority", "www.example.com"),
                h("cache-control", "no-cache"));
        assertThat(decoder.tableSize()).isEqualTo(110);
        assertThat(decoder.decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))).containsExactly(
                h(":method", "GET"), h(":scheme", "https"), h(":path", "/index.html"), h(":authority", "www.example.com"),
                h("custom-key", "custom-value"));
        assertThat(decoder.tableSize()).isEqualTo(164);
    }

    @Test
    void responsesEvictTheOldestEntries() throws Exception {
        HpackDecoder decoder = new HpackDecoder(256, 64 * 1024);
        assertThat(decoder.decode(hex("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
                + "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"))).containsExactly(
                h(":status", "302"), h("cache-control", "private"), h("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
                h("location", "https://www.example.com"));
        assertThat(decoder.tableSize()).isEqualTo(222);
        // :status 307 joins; :status 302 (the oldest) leaves to make room.
        assertThat(decoder.decode(hex("4883 640e ffc1 c0bf"))).containsExactly(h(":status", "307"),
                h("cache-control", "private"), h("date", "Mon, 21 Oct 2013 20:13:21 GMT"), h("location", "https://www.example.com"));
        assertThat(decoder.tableSize()).isEqualTo(222);
        assertThatThrownBy(() -> decoder.decode(hex("c2"))).isInstanceOf(HpackException.class).hasMessageContaining("beyond");
    }

    @Test
    void rawLiteralsNeverIndexedAndTableSizeUpdates() throws Exception {
        HpackDecoder decoder = new HpackDecoder(4096, 64 * 1024);
        // C.2.3: literal never indexed, new name; then a size update to 0 at the start of a block.
        assertThat(decoder.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74"))).containsExactly(h("password", "secret"));
        assertThat(decoder.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")))
                .containsExactly(h("custom-key", "custom-header"));
        assertThat(decoder.tableSize()).isEqualTo(55);
        assertThat(decoder.decode(hex("20 82"))).containsExactly(h(":method", "GET"));
        assertThat(decoder.tableSize()).isZero();
        assertThatThrownBy(() -> decoder.decode(hex("82 20"))).hasMessageContaining("after a header field");
        assertThatThrownBy(() -> decoder.decode(hex("3fe2 1f"))).hasMessageContaining("above the announced");
    }

    @Test
    void truncatedAndOversizedBlocksAreRefused() {
        HpackDecoder decoder = new HpackDecoder(4096, 100);
        assertThatThrownBy(() -> decoder.decode(hex("400a 6375 73"))).isInstanceOf(HpackException.class);
        assertThatThrownBy(() -> decoder.decode(hex("80"))).hasMessageContaining("index 0");
        assertThatThrownBy(() -> decoder.decode(hex("ffff ffff ff0f"))).hasMessageContaining("too large");
        byte[] big = new byte[3 + 80];
        big[0] = 0x00;
        big[1] = 0x01;
        big[2] = 'x';
        big[3] = 79;
        java.util.Arrays.fill(big, 4, big.length, (byte) 'v');
        assertThatThrownBy(() -> decoder.decode(big)).hasMessageContaining("larger than 100");
    }

    @Test
    void theEncodersBlocksDecode() throws Exception {
        List<Header> headers = List.of(h(":method", "POST"), h(":scheme", "https"), h(":path", "/sidero.discovery.server.Cluster/List"),
                h(":authority", "discovery.talos.dev:443"), h("content-type", "application/grpc"), h("te", "trailers"),
                h("grpc-timeout", "10000m"), h("user-agent", "x".repeat(300)));
        byte[] block = HpackEncoder.encode(headers);
        assertThat(new HpackDecoder(4096, 64 * 1024).decode(block)).containsExactlyElementsOf(headers);
        assertThat(block[0] & 0xff).isEqualTo(0x83);
    }

    private static String huffman(String hex) throws HpackException {
        byte[] bytes = hex(hex);
        return new String(Huffman.decode(bytes, 0, bytes.length), StandardCharsets.ISO_8859_1);
    }

    private static Header h(String name, String value) {
        return new Header(name, value);
    }
}
