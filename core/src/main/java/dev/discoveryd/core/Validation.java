package dev.discoveryd.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Checks a request against {@link Limits} before anything is decided, logged or changed. */
public final class Validation {
    private Validation() {
    }

    public static void clusterId(String clusterId) {
        idLength("cluster ID", clusterId, Limits.CLUSTER_ID_MAX_BYTES);
    }

    public static void affiliateId(String affiliateId) {
        idLength("affiliate ID", affiliateId, Limits.AFFILIATE_ID_MAX_BYTES);
    }

    public static void update(String clusterId, String affiliateId, byte[] data, List<byte[]> endpoints, Duration ttl) {
        clusterId(clusterId);
        affiliateId(affiliateId);
        if (data != null && data.length > Limits.AFFILIATE_DATA_MAX_BYTES) {
            throw invalid("affiliate data is " + data.length + " bytes, the limit is " + Limits.AFFILIATE_DATA_MAX_BYTES);
        }
        for (byte[] endpoint : endpoints) {
            if (endpoint.length > Limits.ENDPOINT_MAX_BYTES) {
                throw invalid("an endpoint is " + endpoint.length + " bytes, the limit is " + Limits.ENDPOINT_MAX_BYTES);
            }
        }
        if (ttl.isNegative() || ttl.compareTo(Limits.TTL_MAX) > 0) {
            throw invalid("ttl " + ttl + " is outside 0.." + Limits.TTL_MAX);
        }
    }

    private static void idLength(String what, String id, int max) {
        int length = id == null ? 0 : utf8Length(id);
        if (length == 0) {
            throw invalid(what + " is empty");
        }
        if (length > max) {
            throw invalid(what + " is " + length + " bytes, the limit is " + max);
        }
    }

    static int utf8Length(String s) {
        // Fast path: most IDs are ASCII (base64 / base62).
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    private static DomainException invalid(String message) {
        return new DomainException(new DomainError.InvalidArgument(message));
    }
}
