package dev.discoveryd.core;

import java.time.Duration;

/** Limits of the Talos discovery protocol; a request over any of them is rejected before it changes anything. */
public final class Limits {
    public static final int CLUSTER_ID_MAX_BYTES = 256;
    public static final int AFFILIATE_ID_MAX_BYTES = 256;
    public static final int AFFILIATE_DATA_MAX_BYTES = 2048;
    public static final int ENDPOINT_MAX_BYTES = 32;
    public static final int ENDPOINTS_PER_AFFILIATE = 64;
    public static final int AFFILIATES_PER_CLUSTER = 1024;
    public static final Duration TTL_MAX = Duration.ofMinutes(30);

    private Limits() {
    }
}
