package dev.discoveryd.nodeclient.h2;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.List;

/**
 * HPACK header block decoding (RFC 7541): the static table, a dynamic table bounded by the size we announced, and
 * Huffman or raw string literals. One decoder per connection; every header block of the connection passes through it
 * in order, since each may change the dynamic table.
 */
final class HpackDecoder {
    private static final Header[] STATIC = {
        null,
        h(":authority", ""), h(":method", "GET"), h(":method", "POST"), h(":path", "/"), h(":path", "/index.html"),
        h(":scheme", "http"), h(":scheme", "https"), h(":status", "200"), h(":status", "204"), h(":status", "206"),
        h(":status", "304"), h(":status", "400"), h(":status", "404"), h(":status", "500"), h("accept-charset", ""),
        h("accept-encoding", "gzip, deflate"), h("accept-language", ""), h("accept-ranges", ""), h("accept", ""),
        h("access-control-allow-origin", ""), h("age", ""), h("allow", ""), h("authorization", ""),
        h("cache-control", ""), h("content-disposition", ""), h("content-encoding", ""), h("content-language", ""),
        h("content-length", ""), h("content-location", ""), h("content-range", ""), h("content-type", ""),
        h("cookie", ""), h("date", ""), h("etag", ""), h("expect", ""), h("expires", ""), h("from", ""), h("host", ""),
        h("if-match", ""), h("if-modified-since", ""), h("if-none-match", ""), h("if-range", ""),
        h("if-unmodified-since", ""), h("last-modified", ""), h("link", ""), h("location", ""), h("max-forwards", ""),
        h("proxy-authenticate", ""), h("proxy-authorization", ""), h("range", ""), h("referer", ""), h("refresh", ""),
        h("retry-after", ""), h("server", ""), h("set-cookie", ""), h("strict-transport-security", ""),
        h("transfer-encoding", ""), h("user-agent", ""), h("vary", ""), h("via", ""), h("www-authenticate", ""),
    };

    private final int maxTableSize;
    private final int maxHeaderListSize;
    /** Newest first: index 62 is {@code dynamic.get(0)} (a table of a few entries: shifting is cheap). */
    private final List<Header> dynamic = new ArrayList<>();
    private int tableLimit;
    private int tableSize;

    /**
     * @param maxTableSize      SETTINGS_HEADER_TABLE_SIZE as we announced it (the encoder may only shrink below it)
     * @param maxHeaderListSize the most a decoded block may hold, in HPACK-sized bytes
     */
    HpackDecoder(int maxTableSize, int maxHeaderListSize) {
        this.maxTableSize = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
        this.tableLimit = maxTableSize;
    }

    List<Header> decode(byte[] block) throws HpackException {
        return decode(block, 0, block.length);
    }

    List<Header> decode(byte[] block, int offset, int length) throws HpackException {
        Reader in = new Reader(block, offset, offset + length);
        List<Header> headers = new ArrayList<>();
        long listSize = 0;
        boolean fieldSeen = false;
        while (in.more()) {
            int b = in.peek();
            Header header;
            if ((b & 0x80) != 0) {
                header = entry(in.integer(7));
            } else if ((b & 0xc0) == 0x40) {
                header = literal(in, 6);
                add(header);
            } else if ((b & 0xe0) == 0x20) {
                if (fieldSeen) {
                    throw new HpackException("dynamic table size update after a header field");
                }
                int size = in.integer(5);
                if (size > maxTableSize) {
                    throw new HpackException("dynamic table size " + size + " above the announced " + maxTableSize);
                }
                tableLimit = size;
                evict(0);
                continue;
            } else {
                header = literal(in, 4); // without indexing (0000) or never indexed (0001)
            }
            fieldSeen = true;
            listSize += header.hpackSize();
            if (listSize > maxHeaderListSize) {
                throw new HpackException("header list larger than " + maxHeaderListSize + " bytes");
            }
            headers.add(header);
        }
        return headers;
    }

    /** Current dynamic table size in HPACK bytes (for tests). */
    int tableSize() {
        return tableSize;
    }

    private Header literal(Reader in, int prefix) throws HpackException {
        int index = in.integer(prefix);
        String name = index == 0 ? in.string() : entry(index).name();
        return new Header(name, in.string());
    }

    private Header entry(int index) throws HpackException {
        if (index <= 0) {
            throw new HpackException("header index 0");
        }
        if (index < STATIC.length) {
            return STATIC[index];
        }
        int dynamicIndex = index - STATIC.length;
        if (dynamicIndex >= dynamic.size()) {
            throw new HpackException("header index " + index + " beyond the table");
        }
        return dynamic.get(dynamicIndex);
    }

    private void add(Header header) {
        int size = header.hpackSize();
        evict(size);
        if (size <= tableLimit) { // a larger entry empties the table and is not added (section 4.4)
            dynamic.add(0, header);
            tableSize += size;
        }
    }

    private void evict(int room) {
        while (!dynamic.isEmpty() && tableSize + room > tableLimit) {
            tableSize -= dynamic.remove(dynamic.size() - 1).hpackSize();
        }
    }

    private static Header h(String name, String value) {
        return new Header(name, value);
    }

    /** Prefix integers and string literals over one block. */
    private static final class Reader {
        private final byte[] in;
        private final int end;
        private int at;

        Reader(byte[] in, int at, int end) {
            this.in = in;
            this.at = at;
            this.end = end;
        }

        boolean more() {
            return at < end;
        }

        int peek() {
            return in[at] & 0xff;
        }

        int next() throws HpackException {
            if (at >= end) {
                throw new HpackException("header block ends inside a field");
            }
            return in[at++] & 0xff;
        }

        /** RFC 7541 section 5.1; values beyond 2^28 are refused (nothing legitimate needs them). */
        int integer(int prefix) throws HpackException {
            int mask = (1 << prefix) - 1;
            int value = next() & mask;
            if (value < mask) {
                return value;
            }
            for (int shift = 0; ; shift += 7) {
                if (shift > 21) {
                    throw new HpackException("integer too large");
                }
                int b = next();
                value += (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }

        String string() throws HpackException {
            boolean huffman = (peek() & 0x80) != 0;
            int length = integer(7);
            if (length > end - at) {
                throw new HpackException("string literal longer than the header block");
            }
            byte[] bytes = huffman ? Huffman.decode(in, at, length) : java.util.Arrays.copyOfRange(in, at, at + length);
            at += length;
            return new String(bytes, ISO_8859_1);
        }
    }
}
