package dev.discoveryd.service.ratelimit;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per client address. A caller reserves a token and is told how long to wait for it, as Go's
 * rate.Limiter does: waits queue up in token order, and a wait longer than the caller allows takes nothing. A bucket
 * that has refilled completely is the same as a new one, so {@link #sweep} forgets it; when the table is full anyway
 * (a flood of distinct addresses), newcomers share one overflow bucket, so memory never grows past {@code maxKeys}.
 * Time is passed in as nanoseconds from any fixed origin.
 */
public final class TokenBuckets {
    /** Returned by {@link #reserve} when the caller would have to wait longer than it allows. */
    public static final long REFUSED = -1;

    private final double tokensPerNano;
    private final double burst;
    private final int maxKeys;
    private final Map<IpKey, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;

    public TokenBuckets(double perSecond, int burst, int maxKeys, long now) {
        if (perSecond <= 0 || burst < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("rate, burst and table size must be positive");
        }
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.overflow = new Bucket(burst, now);
    }

    /** Takes one token for {@code key}: returns 0 to go now, the nanoseconds to wait first, or {@link #REFUSED}. */
    public long reserve(IpKey key, long now, long maxWaitNanos) {
        while (true) {
            Bucket bucket = bucketFor(key, now);
            synchronized (bucket) {
                if (bucket.forgotten) {
                    continue;
                }
                bucket.refill(now, tokensPerNano, burst);
                double after = bucket.tokens - 1;
                long wait = after >= 0 ? 0 : (long) Math.ceil(-after / tokensPerNano);
                if (wait > maxWaitNanos) {
                    return REFUSED;
                }
                bucket.tokens = after;
                return wait;
            }
        }
    }

    /** Forgets every bucket that has refilled completely by {@code now}; returns how many were forgotten. */
    public int sweep(long now) {
        int forgotten = 0;
        for (Iterator<Map.Entry<IpKey, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next().getValue();
            synchronized (bucket) {
                bucket.refill(now, tokensPerNano, burst);
                if (bucket.tokens >= burst) {
                    bucket.forgotten = true;
                    it.remove();
                    forgotten++;
                }
            }
        }
        return forgotten;
    }

    /** Addresses with a bucket of their own right now. */
    public int size() {
        return buckets.size();
    }

    private Bucket bucketFor(IpKey key, long now) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= maxKeys) {
            return overflow;
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    }

    /** Guarded by its own monitor. */
    private static final class Bucket {
        double tokens;
        long updated;
        boolean forgotten;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        void refill(long now, double tokensPerNano, double burst) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * tokensPerNano);
                updated = now;
            }
        }
    }
}
