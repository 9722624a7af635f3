package dev.discoveryd.nodeclient.h2;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * HPACK encoding for a client that sends a handful of headers once: static-table matches where they exist, every
 * other field as a literal without indexing and without Huffman. It never touches the peer's dynamic table, so the
 * peer's SETTINGS_HEADER_TABLE_SIZE does not concern it.
 */
final class HpackEncoder {
    /** Whole static entries (name and value) we send, by their static index. */
    private static final Map<String, Integer> FULL = Map.of(":method\0POST", 3, ":path\0/", 4, ":scheme\0http", 6,
            ":scheme\0https", 7);
    /** Static names we send with other values. */
    private static final Map<String, Integer> NAMES = Map.of(":authority", 1, ":path", 4, "content-type", 31,
            "user-agent", 58);

    private HpackEncoder() {
    }

    static byte[] encode(List<Header> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        for (Header header : headers) {
            Integer full = FULL.get(header.name() + "\0" + header.value());
            if (full != null) {
                integer(out, 0x80, 7, full);
                continue;
            }
            Integer name = NAMES.get(header.name());
            if (name != null) {
                integer(out, 0x00, 4, name);
            } else {
                out.write(0x00);
                string(out, header.name());
            }
            string(out, header.value());
        }
        return out.toByteArray();
    }

    /** RFC 7541 section 5.1: {@code value} in a {@code prefix}-bit prefix of a byte starting with {@code flags}. */
    static void integer(ByteArrayOutputStream out, int flags, int prefix, int value) {
        int mask = (1 << prefix) - 1;
        if (value < mask) {
            out.write(flags | value);
            return;
        }
        out.write(flags | mask);
        value -= mask;
        while (value >= 0x80) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    private static void string(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(ISO_8859_1);
        integer(out, 0x00, 7, bytes.length);
        out.writeBytes(bytes);
    }
}
