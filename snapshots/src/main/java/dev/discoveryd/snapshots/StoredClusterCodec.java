package dev.discoveryd.snapshots;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The plaintext of one stored cluster: its ID and its affiliates in order, each with data, expiration and endpoints
 * (each with its own expiration). Lengths are unsigned varints, times big-endian 64-bit epoch milliseconds.
 */
public final class StoredClusterCodec {
    static final byte VERSION = 1;
    private static final byte[] EMPTY = new byte[0];

    private StoredClusterCodec() {
    }

    /** The cluster as bytes; {@code affiliates} is an immutable copy taken by the caller. */
    public static byte[] encode(String clusterId, Collection<Affiliate> affiliates) {
        byte[] id = clusterId.getBytes(StandardCharsets.UTF_8);
        byte[][] affiliateIds = new byte[affiliates.size()][];
        int size = 1 + varintSize(id.length) + id.length + varintSize(affiliates.size());
        int i = 0;
        for (Affiliate a : affiliates) {
            byte[] aid = a.id().getBytes(StandardCharsets.UTF_8);
            affiliateIds[i++] = aid;
            size += varintSize(aid.length) + aid.length + varintSize(a.data().length) + a.data().length + 8
                    + varintSize(a.endpointCount());
            for (int e = 0; e < a.endpointCount(); e++) {
                int len = a.endpoint(e).length;
                size += varintSize(len) + len + 8;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        putBytes(out, id);
        putVarint(out, affiliates.size());
        i = 0;
        for (Affiliate a : affiliates) {
            putBytes(out, affiliateIds[i++]);
            putBytes(out, a.data());
            out.putLong(a.expiresAt());
            putVarint(out, a.endpointCount());
            for (int e = 0; e < a.endpointCount(); e++) {
                putBytes(out, a.endpoint(e));
                out.putLong(a.endpointExpiresAt(e));
            }
        }
        return out.array();
    }

    public static byte[] encode(ClusterState cluster) {
        return encode(cluster.id(), cluster.affiliates());
    }

    /** The cluster in {@code plaintext}; fresh arrays, so the plaintext may be discarded. */
    public static ClusterState decode(byte[] plaintext) {
        try {
            ByteBuffer in = ByteBuffer.wrap(plaintext);
            ClusterState cluster = new ClusterState(header(in));
            restoreAffiliates(in, getVarint(in), cluster);
            return cluster;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SnapshotFormatException("truncated or malformed cluster entry", e);
        }
    }

    /**
     * The cluster stored in {@code plaintext[offset, offset + length)} (a heap or direct buffer), checked through
     * (every length within bounds, nothing left over), counted and its earliest expiration noted, but its affiliates
     * built only on first use, from these bytes: the caller must never change them.
     */
    public static ClusterState deferred(ByteBuffer plaintext, int offset, int length) {
        try {
            ByteBuffer in = plaintext.slice(offset, length);
            String id = header(in);
            int count = getVarint(in);
            int body = in.position();
            int endpoints = 0;
            long earliest = Long.MAX_VALUE;
            for (int i = 0; i < count; i++) {
                skip(in, getLength(in)); // affiliate ID
                skip(in, getLength(in)); // data
                earliest = Math.min(earliest, in.getLong());
                int endpointCount = getVarint(in);
                endpoints += endpointCount;
                for (int e = 0; e < endpointCount; e++) {
                    skip(in, getLength(in));
                    earliest = Math.min(earliest, in.getLong());
                }
            }
            if (in.hasRemaining()) {
                throw new SnapshotFormatException(in.remaining() + " trailing bytes after cluster " + id);
            }
            return ClusterState.deferred(id, count, endpoints, earliest,
                    cluster -> restoreAffiliates(plaintext.slice(offset + body, length - body), count, cluster));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SnapshotFormatException("truncated or malformed cluster entry", e);
        }
    }

    private static void restoreAffiliates(ByteBuffer in, int count, ClusterState cluster) {
        for (int i = 0; i < count; i++) {
            String id = getString(in);
            byte[] data = getBytes(in);
            long expiresAt = in.getLong();
            int endpointCount = getVarint(in);
            byte[][] endpoints = new byte[endpointCount][];
            long[] expirations = new long[endpointCount];
            for (int e = 0; e < endpointCount; e++) {
                endpoints[e] = getBytes(in);
                expirations[e] = in.getLong();
            }
            cluster.restore(Affiliate.restore(id, data, expiresAt, endpoints, expirations));
        }
        if (in.hasRemaining()) {
            throw new SnapshotFormatException(in.remaining() + " trailing bytes after cluster " + cluster.id());
        }
    }

    private static void skip(ByteBuffer in, int bytes) {
        if (bytes > in.remaining()) {
            throw new BufferUnderflowException();
        }
        in.position(in.position() + bytes);
    }

    /** Only the cluster ID of {@code plaintext} (re-keying needs no more). */
    public static String clusterId(byte[] plaintext) {
        try {
            return header(ByteBuffer.wrap(plaintext));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SnapshotFormatException("truncated or malformed cluster entry", e);
        }
    }

    private static String header(ByteBuffer in) {
        byte version = in.get();
        if (version != VERSION) {
            throw new SnapshotFormatException("unknown cluster entry version " + version);
        }
        return getString(in);
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        putVarint(out, bytes.length);
        out.put(bytes);
    }

    private static byte[] getBytes(ByteBuffer in) {
        int length = getLength(in);
        if (length == 0) {
            return EMPTY;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String getString(ByteBuffer in) {
        int length = getLength(in);
        if (!in.hasArray()) {
            byte[] bytes = new byte[length];
            in.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static int getLength(ByteBuffer in) {
        int length = getVarint(in);
        if (length > in.remaining()) {
            throw new SnapshotFormatException("length " + length + " exceeds the " + in.remaining() + " bytes left");
        }
        return length;
    }

    static int varintSize(int value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    static void putVarint(ByteBuffer out, int value) {
        while ((value & ~0x7F) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    static int getVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (value < 0) {
                    throw new SnapshotFormatException("negative length");
                }
                return value;
            }
        }
        throw new SnapshotFormatException("varint longer than 5 bytes");
    }
}
