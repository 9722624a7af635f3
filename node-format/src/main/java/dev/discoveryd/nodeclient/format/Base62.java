package dev.discoveryd.nodeclient.format;

import java.io.ByteArrayOutputStream;

/**
 * The compact base62 encoding Talos uses for node IDs (alphabet {@code A-Z a-z 0-9}).
 *
 * <p>The input is a big-endian number read as a bit stream from its least significant end,
 * six bits at a time; a group whose bits 1..4 are all set (30, 31, 62, 63) is emitted as its
 * low five bits and its top bit is read again with the next group.
 */
public final class Base62 {
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int COMPACT_MASK = 0x1E;

    private Base62() {
    }

    public static String encode(byte[] input) {
        int totalBits = input.length * 8;
        StringBuilder out = new StringBuilder(totalBits / 5 + 1);
        int pos = 0;
        while (pos < totalBits) {
            int remaining = totalBits - pos;
            int value = readBits(input, pos, Math.min(6, remaining));
            if (remaining >= 6 && (value & COMPACT_MASK) == COMPACT_MASK) {
                value &= 0x1F;
                pos += 5;
            } else {
                pos += 6;
            }
            out.append(ALPHABET.charAt(value));
        }
        return out.toString();
    }

    public static byte[] decode(String text) {
        long bitBuffer = 0;
        int bitCount = 0;
        ByteArrayOutputStream littleEndian = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            int value = ALPHABET.indexOf(text.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("not a base62 character: '" + text.charAt(i) + "'");
            }
            int width = (value & COMPACT_MASK) == COMPACT_MASK && i < text.length() - 1 ? 5 : 6;
            bitBuffer |= (long) value << bitCount;
            bitCount += width;
            while (bitCount >= 8) {
                littleEndian.write((int) (bitBuffer & 0xFF));
                bitBuffer >>>= 8;
                bitCount -= 8;
            }
        }
        if (bitBuffer != 0) {
            throw new IllegalArgumentException("base62 text has trailing bits set");
        }
        byte[] reversed = littleEndian.toByteArray();
        byte[] out = new byte[reversed.length];
        for (int i = 0; i < reversed.length; i++) {
            out[i] = reversed[reversed.length - 1 - i];
        }
        return out;
    }

    /** Reads {@code width} bits starting {@code pos} bits above the least significant bit. */
    private static int readBits(byte[] input, int pos, int width) {
        int value = 0;
        for (int i = 0; i < width; i++) {
            int bit = pos + i;
            int b = input[input.length - 1 - bit / 8] & 0xFF;
            value |= ((b >>> (bit % 8)) & 1) << i;
        }
        return value;
    }
}
