package dev.discoveryd.agent.linux;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A 32-byte WireGuard key (private, public or preshared): base64 in configuration, hex on the UAPI socket. */
public final class WgKey {
    private final byte[] bytes;

    private WgKey(byte[] bytes) {
        if (bytes.length != 32) {
            throw new IllegalArgumentException("a WireGuard key is 32 bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    public static WgKey ofBytes(byte[] b) {
        return new WgKey(b);
    }

    public static WgKey fromBase64(String s) {
        try {
            return new WgKey(Base64.getDecoder().decode(s.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 WireGuard key: " + e.getMessage());
        }
    }

    public static WgKey fromHex(String s) {
        try {
            return new WgKey(HexFormat.of().parseHex(s.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex WireGuard key: " + e.getMessage());
        }
    }

    public boolean isZero() {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WgKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Public keys are safe to print; this prints the base64 form, so never print private or preshared keys. */
    @Override
    public String toString() {
        return base64();
    }
}
