package dev.discoveryd.service.ops;

import dev.discoveryd.service.ratelimit.IpKey;
import dev.discoveryd.service.ratelimit.TokenBuckets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-IP token buckets with time passed in: burst, waiting in token order, refusal, forgetting, the size cap. */
class TokenBucketsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final IpKey A = IpKey.of(new byte[]{10, 0, 0, 1});
    private static final IpKey B = IpKey.of(new byte[]{10, 0, 0, 2});

    @Test
    void burstGoesAtOnceThenEachRequestWaitsForItsOwnToken() {
        TokenBuckets buckets = new TokenBuckets(15, 60, 1000, 0);
        for (int i = 0; i < 60; i++) {
            assertThat(buckets.reserve(A, 0, 0)).isZero();
        }
        // 15 per second: the 61st waits 1/15 s, the 62nd 2/15 s (reservations queue up).
        assertThat(buckets.reserve(A, 0, SECOND)).isBetween(SECOND / 15 - 1, SECOND / 15 + 1);
        assertThat(buckets.reserve(A, 0, SECOND)).isBetween(2 * SECOND / 15 - 1, 2 * SECOND / 15 + 1);
        assertThat(buckets.reserve(B, 0, 0)).as("another address has its own bucket").isZero();
    }

    @Test
    void aWaitLongerThanAllowedIsRefusedAndTakesNothing() {
        TokenBuckets buckets = new TokenBuckets(10, 1, 1000, 0);
        assertThat(buckets.reserve(A, 0, 0)).isZero();
        assertThat(buckets.reserve(A, 0, SECOND / 20)).isEqualTo(TokenBuckets.REFUSED);
        assertThat(buckets.reserve(A, 0, SECOND / 20)).isEqualTo(TokenBuckets.REFUSED);
        // Nothing was taken by the refusals: after 100 ms the next token is there.
        assertThat(buckets.reserve(A, SECOND / 10, 0)).isZero();
    }

    @Test
    void refilledBucketsAreForgottenSoAFloodOfAddressesLeavesNothingBehind() {
        TokenBuckets buckets = new TokenBuckets(15, 60, 1_000_000, 0);
        for (int i = 0; i < 100_000; i++) {
            assertThat(buckets.reserve(IpKey.of(ipv6(i)), 0, 0)).isZero();
        }
        assertThat(buckets.size()).isEqualTo(100_000);
        assertThat(buckets.sweep(SECOND / 100)).as("one token short of full: kept").isZero();
        assertThat(buckets.sweep(SECOND)).isEqualTo(100_000);
        assertThat(buckets.size()).isZero();
    }

    @Test
    void aFullTableSendsNewcomersToOneSharedBucket() {
        TokenBuckets buckets = new TokenBuckets(1, 2, 1000, 0);
        for (int i = 0; i < 100_000; i++) {
            buckets.reserve(IpKey.of(ipv4(i)), 0, 10 * SECOND);
        }
        assertThat(buckets.size()).isEqualTo(1000);
        // The 99,000 newcomers shared one bucket: it is far in debt, so yet another newcomer is refused.
        assertThat(buckets.reserve(IpKey.of(new byte[]{(byte) 192, 0, 2, 1}), 0, SECOND)).isEqualTo(TokenBuckets.REFUSED);
        assertThat(buckets.reserve(IpKey.of(ipv4(0)), 2 * SECOND, 0)).as("a tracked address keeps its own").isZero();
    }

    @Test
    void ipv4AndIpv6KeysDoNotCollide() {
        assertThat(IpKey.of(new byte[]{1, 2, 3, 4})).isNotEqualTo(IpKey.of(new byte[16]));
        assertThat(IpKey.of(new byte[]{0, 0, 0, 0})).isNotEqualTo(IpKey.of(new byte[0]));
        assertThat(IpKey.of(ipv6(7))).isEqualTo(IpKey.of(ipv6(7))).isNotEqualTo(IpKey.of(ipv6(8)));
    }

    private static byte[] ipv4(int i) {
        return new byte[]{10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
    }

    private static byte[] ipv6(int i) {
        byte[] ip = new byte[16];
        ip[0] = 0x20;
        ip[1] = 0x01;
        ip[13] = (byte) (i >> 16);
        ip[14] = (byte) (i >> 8);
        ip[15] = (byte) i;
        return ip;
    }
}
