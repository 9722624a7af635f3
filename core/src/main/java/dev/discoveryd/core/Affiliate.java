package dev.discoveryd.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One node's opaque record in a cluster: encrypted data, encrypted endpoints (each with its own expiration) and the
 * affiliate's expiration. Immutable: every change returns a new instance, so readers on other threads can hold one.
 * Times are epoch milliseconds.
 */
public final class Affiliate {
    private static final byte[] NO_DATA = new byte[0];
    private static final byte[][] NO_ENDPOINTS = new byte[0][];
    private static final long[] NO_EXPIRATIONS = new long[0];

    private final String id;
    private final byte[] data;
    private final long expiresAt;
    private final byte[][] endpoints;
    private final long[] endpointExpiresAt;

    private Affiliate(String id, byte[] data, long expiresAt, byte[][] endpoints, long[] endpointExpiresAt) {
        this.id = id;
        this.data = data;
        this.expiresAt = expiresAt;
        this.endpoints = endpoints;
        this.endpointExpiresAt = endpointExpiresAt;
    }

    /** A new affiliate with no data and no endpoints; {@link #merge} gives it content. */
    public static Affiliate empty(String id) {
        return new Affiliate(id, NO_DATA, Long.MIN_VALUE, NO_ENDPOINTS, NO_EXPIRATIONS);
    }

    /** Rebuilds an affiliate exactly as stored (snapshots). Arrays are taken as they are. */
    public static Affiliate restore(String id, byte[] data, long expiresAt, byte[][] endpoints, long[] endpointExpiresAt) {
        if (endpoints.length != endpointExpiresAt.length) {
            throw new IllegalArgumentException("endpoints and expirations differ in length");
        }
        return new Affiliate(id, data, expiresAt, endpoints, endpointExpiresAt);
    }

    public String id() {
        return id;
    }

    /** The stored data; callers must not modify the array. */
    public byte[] data() {
        return data;
    }

    public long expiresAt() {
        return expiresAt;
    }

    public int endpointCount() {
        return endpoints.length;
    }

    /** The i-th endpoint in stored order; callers must not modify the array. */
    public byte[] endpoint(int i) {
        return endpoints[i];
    }

    public long endpointExpiresAt(int i) {
        return endpointExpiresAt[i];
    }

    public List<byte[]> endpoints() {
        return Collections.unmodifiableList(Arrays.asList(endpoints));
    }

    /** How many endpoints this affiliate would hold after merging {@code incoming}. */
    public int endpointCountAfterMerge(List<byte[]> incoming) {
        int count = endpoints.length;
        List<byte[]> added = new ArrayList<>();
        for (byte[] candidate : incoming) {
            if (indexOf(candidate) < 0 && !containsBytes(added, candidate)) {
                added.add(candidate);
                count++;
            }
        }
        return count;
    }

    /**
     * Applies an update: {@code newData} (when non-null) replaces the data; each endpoint is either extended (never
     * shortened) or appended; the affiliate's own expiration is raised to {@code expiration} if that is later.
     */
    public Affiliate merge(byte[] newData, List<byte[]> incoming, long expiration) {
        byte[][] eps = endpoints;
        long[] exps = endpointExpiresAt;
        boolean copied = false;
        for (byte[] candidate : incoming) {
            int at = indexIn(eps, candidate);
            if (at >= 0) {
                if (exps[at] < expiration) {
                    if (!copied) {
                        eps = eps.clone();
                        exps = exps.clone();
                        copied = true;
                    }
                    exps[at] = expiration;
                }
            } else {
                eps = Arrays.copyOf(eps, eps.length + 1);
                exps = Arrays.copyOf(exps, exps.length + 1);
                copied = true;
                eps[eps.length - 1] = candidate;
                exps[exps.length - 1] = expiration;
            }
        }
        return new Affiliate(id, newData != null ? newData : data, Math.max(expiresAt, expiration), eps, exps);
    }

    /** This affiliate without the endpoints that expired before {@code now}; {@code this} when none did. */
    public Affiliate withoutEndpointsExpiredBefore(long now) {
        int keep = 0;
        for (long e : endpointExpiresAt) {
            if (e >= now) {
                keep++;
            }
        }
        if (keep == endpoints.length) {
            return this;
        }
        byte[][] eps = new byte[keep][];
        long[] exps = new long[keep];
        int j = 0;
        for (int i = 0; i < endpoints.length; i++) {
            if (endpointExpiresAt[i] >= now) {
                eps[j] = endpoints[i];
                exps[j++] = endpointExpiresAt[i];
            }
        }
        return new Affiliate(id, data, expiresAt, eps, exps);
    }

    public boolean isExpired(long now) {
        return expiresAt < now;
    }

    public int countEndpointsExpiredBefore(long now) {
        int n = 0;
        for (long e : endpointExpiresAt) {
            if (e < now) {
                n++;
            }
        }
        return n;
    }

    private int indexOf(byte[] candidate) {
        return indexIn(endpoints, candidate);
    }

    private static int indexIn(byte[][] eps, byte[] candidate) {
        for (int i = 0; i < eps.length; i++) {
            if (Arrays.equals(eps[i], candidate)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean containsBytes(List<byte[]> list, byte[] candidate) {
        for (byte[] b : list) {
            if (Arrays.equals(b, candidate)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affiliate other
                && id.equals(other.id)
                && expiresAt == other.expiresAt
                && Arrays.equals(data, other.data)
                && Arrays.deepEquals(endpoints, other.endpoints)
                && Arrays.equals(endpointExpiresAt, other.endpointExpiresAt);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Long.hashCode(expiresAt);
    }

    @Override
    public String toString() {
        return "Affiliate{" + id + ", data=" + data.length + "B, endpoints=" + endpoints.length + ", expiresAt=" + expiresAt + '}';
    }
}
