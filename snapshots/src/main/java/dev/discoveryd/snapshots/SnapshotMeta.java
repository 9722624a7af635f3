package dev.discoveryd.snapshots;

import dev.discoveryd.core.LogPosition;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a snapshot says about itself, stored sealed next to the clusters in the same write batch: the log position the
 * view covers, the key generation every entry is blinded and sealed with, totals to check a load against, and the
 * log head the service had on disk when it saved (opaque bytes from the log, empty when none), so that a log cut
 * back behind it is noticed.
 */
record SnapshotMeta(LogPosition covered, String keyId, long clusters, long affiliates, long endpoints, long bytes,
                    byte[] logHead) {
    /**
     * Bumped on any incompatible change of the layout or of {@link ClusterCodec}. 2: a {@link LogPosition}; 3: the
     * log head after the totals.
     */
    static final int FORMAT = 3;
    /** Format 2: as 3 without the log head. */
    static final int FORMAT_NO_HEAD = 2;
    /** Format 1 stored one Chronicle index (a long) where format 2 stores a position; the rest is the same. */
    static final int FORMAT_ONE_INDEX = 1;
    static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.UTF_8);
    static final byte[] STATE_KEY = "state".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_HEAD = new byte[0];

    SnapshotMeta(LogPosition covered, String keyId, long clusters, long affiliates, long endpoints, long bytes) {
        this(covered, keyId, clusters, affiliates, endpoints, bytes, NO_HEAD);
    }

    SnapshotMeta {
        logHead = logHead == null ? NO_HEAD : logHead.clone();
    }

    static final byte[] STATE_AD = "discoveryd/snapshot/meta/state".getBytes(StandardCharsets.UTF_8);

    byte[] encode() {
        byte[] key = keyId.getBytes(StandardCharsets.UTF_8);
        byte[] position = covered.toBytes();
        return ByteBuffer.allocate(4 + position.length + 4 + key.length + 4 * 8 + 4 + logHead.length)
                .putInt(FORMAT).put(position).putInt(key.length).put(key)
                .putLong(clusters).putLong(affiliates).putLong(endpoints).putLong(bytes)
                .putInt(logHead.length).put(logHead)
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
            String keyId = new String(key, StandardCharsets.UTF_8);
            long clusters = in.getLong();
            long affiliates = in.getLong();
            long endpoints = in.getLong();
            long bytes = in.getLong();
            byte[] head = NO_HEAD;
            if (format == FORMAT) {
                head = new byte[in.getInt()];
                in.get(head);
            }
            SnapshotMeta meta = new SnapshotMeta(covered, keyId, clusters, affiliates, endpoints, bytes, head);
            if (in.hasRemaining()) {
                throw new SnapshotFormatException("trailing bytes after metadata");
            }
            return meta;
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new SnapshotFormatException("malformed metadata", e);
        }
    }

    /** Formats this version loads: the current one and formats 1 and 2 (old snapshots still load). */
    static boolean readable(int format) {
        return format == FORMAT || format == FORMAT_NO_HEAD || format == FORMAT_ONE_INDEX;
    }

    static byte[] formatValue() {
        return ByteBuffer.allocate(4).putInt(FORMAT).array();
    }
}
