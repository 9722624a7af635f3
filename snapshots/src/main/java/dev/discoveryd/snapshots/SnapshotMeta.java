package dev.discoveryd.snapshots;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a snapshot says about itself, stored sealed next to the clusters in the same write batch: the log index the
 * view covers, the key generation every entry is blinded and sealed with, and totals to check a load against.
 */
record SnapshotMeta(long coveredIndex, String keyId, long clusters, long affiliates, long endpoints, long bytes) {
    /** Bumped on any incompatible change of the layout or of {@link ClusterCodec}. */
    static final int FORMAT = 1;
    static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.UTF_8);
    static final byte[] STATE_KEY = "state".getBytes(StandardCharsets.UTF_8);
    static final byte[] STATE_AD = "discoveryd/snapshot/meta/state".getBytes(StandardCharsets.UTF_8);

    byte[] encode() {
        byte[] key = keyId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 8 + 4 + key.length + 4 * 8)
                .putInt(FORMAT).putLong(coveredIndex).putInt(key.length).put(key)
                .putLong(clusters).putLong(affiliates).putLong(endpoints).putLong(bytes)
                .array();
    }

    static SnapshotMeta decode(byte[] plaintext) {
        try {
            ByteBuffer in = ByteBuffer.wrap(plaintext);
            int format = in.getInt();
            if (format != FORMAT) {
                throw new SnapshotFormatException("metadata of format " + format + ", expected " + FORMAT);
            }
            long coveredIndex = in.getLong();
            byte[] key = new byte[in.getInt()];
            in.get(key);
            SnapshotMeta meta = new SnapshotMeta(coveredIndex, new String(key, StandardCharsets.UTF_8),
                    in.getLong(), in.getLong(), in.getLong(), in.getLong());
            if (in.hasRemaining()) {
                throw new SnapshotFormatException("trailing bytes after metadata");
            }
            return meta;
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new SnapshotFormatException("malformed metadata", e);
        }
    }

    static byte[] formatValue() {
        return ByteBuffer.allocate(4).putInt(FORMAT).array();
    }
}
