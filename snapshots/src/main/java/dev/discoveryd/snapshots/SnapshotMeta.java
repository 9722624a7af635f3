package dev.discoveryd.snapshots;

import dev.discoveryd.core.LogPosition;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a snapshot says about itself, stored sealed next to the clusters in the same write batch: the log position the
 * view covers, the key generation every entry is blinded and sealed with, and totals to check a load against.
 */
record SnapshotMeta(LogPosition covered, String keyId, long clusters, long affiliates, long endpoints, long bytes) {
    /** Bumped on any incompatible change of the layout or of {@link StoredClusterCodec}. 2: a {@link LogPosition}. */
    static final int FORMAT = 2;
    /** Format 1 stored one Chronicle index (a long) where format 2 stores a position; the rest is the same. */
    static final int FORMAT_ONE_INDEX = 1;
    static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.UTF_8);
    static final byte[] STATE_KEY = "state".getBytes(StandardCharsets.UTF_8);
    static final byte[] STATE_AD = "discoveryd/snapshot/meta/state".getBytes(StandardCharsets.UTF_8);

    byte[] encode() {
        byte[] key = keyId.getBytes(StandardCharsets.UTF_8);
        byte[] position = covered.toBytes();
        return ByteBuffer.allocate(4 + position.length + 4 + key.length + 4 * 8)
                .putInt(FORMAT).put(position).putInt(key.length).put(key)
                .putLong(clusters).putLong(affiliates).putLong(endpoints).putLong(bytes)
                .array();
    }

    static SnapshotMeta decode(byte[] plaintext) {
        try {
            ByteBuffer in = ByteBuffer.wrap(plaintext);
            int format = in.getInt();
            if (!readable(format)) {
                throw new SnapshotFormatException("metadata of format " + format + ", expected " + FORMAT);
            }
            LogPosition covered = format == FORMAT_ONE_INDEX ? LogPosition.of(in.getLong()) : LogPosition.read(in);
            byte[] key = new byte[in.getInt()];
            in.get(key);
            SnapshotMeta meta = new SnapshotMeta(covered, new String(key, StandardCharsets.UTF_8),
                    in.getLong(), in.getLong(), in.getLong(), in.getLong());
            if (in.hasRemaining()) {
                throw new SnapshotFormatException("trailing bytes after metadata");
            }
            return meta;
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new SnapshotFormatException("malformed metadata", e);
        }
    }

    /** Formats this version loads: the current one and format 1 (old snapshots still load). */
    static boolean readable(int format) {
        return format == FORMAT || format == FORMAT_ONE_INDEX;
    }

    static byte[] formatValue() {
        return ByteBuffer.allocate(4).putInt(FORMAT).array();
    }
}
