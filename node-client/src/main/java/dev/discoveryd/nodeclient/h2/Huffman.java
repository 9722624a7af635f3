package dev.discoveryd.nodeclient.h2;

import java.io.ByteArrayOutputStream;

/**
 * The HPACK Huffman decoder (RFC 7541 section 5.2, code in Appendix B). The code is canonical (within a length,
 * codes rise with the symbol), so the table is kept as the 257 code lengths and the codes are derived from them.
 */
final class Huffman {
    private static final int EOS = 256;
    private static final int MAX_LENGTH = 30;
    /** Code length in bits of symbols 0..255 and EOS (RFC 7541 Appendix B), as characters '0' + length. */
    private static final String LENGTHS =
            "=GLLLLLLLHNLLNLLLLLLLLNLLLLLLLLL6::<=68;::8;8666555666666678?6<:" +
            "=67777777777777777777777878=C=>6?56565666577666567655677777?;>=L" +
            "DFDDFFFGFGGGGGHGHHFGHGGGGEFGFGGHFEDFFGGEGFFHEFGGEEFEGFGGDFFFGFFG" +
            "JJDCFGFIJJJKKJHICEJKKJKHEEJJLKKKDHDEFEEGFFIIHHJGJKJJKKKKKLKKKKKJ" +
            "N";

    /** For each length: the first code of that length, how many codes have it, and where its symbols start. */
    private static final int[] FIRST_CODE = new int[MAX_LENGTH + 1];
    private static final int[] COUNT = new int[MAX_LENGTH + 1];
    private static final int[] OFFSET = new int[MAX_LENGTH + 1];
    /** Symbols ordered by (length, symbol): the canonical order. */
    private static final int[] SYMBOLS = new int[EOS + 1];

    static {
        for (int symbol = 0; symbol <= EOS; symbol++) {
            COUNT[length(symbol)]++;
        }
        int code = 0;
        int offset = 0;
        for (int length = 1; length <= MAX_LENGTH; length++) {
            code = (code + COUNT[length - 1]) << 1;
            FIRST_CODE[length] = code;
            OFFSET[length] = offset;
            offset += COUNT[length];
        }
        int[] next = OFFSET.clone();
        for (int length = 1; length <= MAX_LENGTH; length++) {
            for (int symbol = 0; symbol <= EOS; symbol++) {
                if (length(symbol) == length) {
                    SYMBOLS[next[length]++] = symbol;
                }
            }
        }
    }

    private Huffman() {
    }

    static int length(int symbol) {
        return LENGTHS.charAt(symbol) - '0';
    }

    /** The code of a symbol, right-aligned in {@code length(symbol)} bits (for tests and the encoder). */
    static int code(int symbol) {
        int length = length(symbol);
        for (int i = OFFSET[length]; i < OFFSET[length] + COUNT[length]; i++) {
            if (SYMBOLS[i] == symbol) {
                return FIRST_CODE[length] + i - OFFSET[length];
            }
        }
        throw new IllegalArgumentException("no symbol " + symbol);
    }

    /** Decodes {@code length} bytes at {@code offset}; padding must be at most 7 one-bits (a prefix of EOS). */
    static byte[] decode(byte[] in, int offset, int length) throws HpackException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length * 8 / 5 + 1);
        int code = 0;
        int bits = 0;
        for (int i = offset; i < offset + length; i++) {
            int b = in[i] & 0xff;
            for (int bit = 7; bit >= 0; bit--) {
                code = (code << 1) | ((b >>> bit) & 1);
                bits++;
                int index = code - FIRST_CODE[bits];
                if (index >= 0 && index < COUNT[bits]) {
                    int symbol = SYMBOLS[OFFSET[bits] + index];
                    if (symbol == EOS) {
                        throw new HpackException("Huffman string contains EOS");
                    }
                    out.write(symbol);
                    code = 0;
                    bits = 0;
                } else if (bits == MAX_LENGTH) {
                    throw new HpackException("invalid Huffman code");
                }
            }
        }
        if (bits > 7 || code != (1 << bits) - 1) {
            throw new HpackException("invalid Huffman padding");
        }
        return out.toByteArray();
    }
}
