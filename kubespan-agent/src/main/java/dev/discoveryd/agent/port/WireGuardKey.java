package dev.discoveryd.agent.port;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/** A 32-byte WireGuard key (private, public or preshared), held as standard base64 text. */
public record WireGuardKey(String base64) implements Comparable<WireGuardKey> {
    public WireGuardKey {
        Objects.requireNonNull(base64, "base64");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WireGuard key is not standard base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("WireGuard key must decode to 32 bytes, got " + raw.length);
        }
    }

    public static WireGuardKey of(byte[] raw) {
        return new WireGuardKey(Base64.getEncoder().encodeToString(raw));
    }

    /** A fresh copy of the 32 raw bytes. */
    public byte[] bytes() {
        return Base64.getDecoder().decode(base64);
    }

    /** Lower-case hex, as WireGuard's configuration protocol (UAPI) wants it. */
    public String hex() {
        return HexFormat.of().formatHex(bytes());
    }

    public static WireGuardKey fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    @Override
    public int compareTo(WireGuardKey other) {
        return base64.compareTo(other.base64);
    }

    /** Never prints key material: private keys and PSKs use this type too. */
    @Override
    public String toString() {
        return "WireGuardKey[" + base64.substring(0, 4) + "…]";
    }
}
