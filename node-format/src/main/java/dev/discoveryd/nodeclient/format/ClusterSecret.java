package dev.discoveryd.nodeclient.format;

import java.util.Arrays;
import java.util.Base64;

/** The cluster secret: standard base64 of 32 bytes, used as the AES-256 key for every blob. */
public final class ClusterSecret {
    public static final int KEY_BYTES = 32;

    private final byte[] key;

    private ClusterSecret(byte[] key) {
        this.key = key;
    }

    public static ClusterSecret fromBase64(String text) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster secret is not valid base64");
        }
        return fromBytes(decoded);
    }

    public static ClusterSecret fromBytes(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("cluster secret must be 32 bytes, got " + key.length);
        }
        return new ClusterSecret(key.clone());
    }

    /** A copy of the raw AES-256 key. */
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSecret other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "ClusterSecret[redacted]";
    }
}
