package dev.discoveryd.nodeclient.format;

import java.security.SecureRandom;

/** Node identity: 32 random bytes in compact base62, used as affiliate ID and {@code Affiliate.node_id}. */
public final class NodeId {
    public static final int SIZE_BYTES = 32;

    private NodeId() {
    }

    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[SIZE_BYTES];
        random.nextBytes(bytes);
        return Base62.encode(bytes);
    }

    public static String generate() {
        return generate(new SecureRandom());
    }
}
