package dev.discoveryd.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class NonceSequenceTest {
    @Test
    void noncesFromOneSequenceNeverRepeatAcrossThreads() throws Exception {
        NonceSequence nonces = new NonceSequence(new SecureRandom());
        Set<ByteBuffer> seen = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    byte[] n = new byte[NonceSequence.BYTES];
                    nonces.next(n, 0);
                    assertThat(seen.add(ByteBuffer.wrap(n))).isTrue();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(200_000);
    }

    @Test
    void sequencesStartAtRandomPointsAndCountInTheLowBytes() {
        byte[] a = new byte[NonceSequence.BYTES];
        byte[] b = new byte[NonceSequence.BYTES];
        NonceSequence one = new NonceSequence(new SecureRandom());
        one.next(a, 0);
        one.next(b, 0);
        assertThat(ByteBuffer.wrap(b).getLong(4) - ByteBuffer.wrap(a).getLong(4)).isEqualTo(1);
        assertThat(ByteBuffer.wrap(b).getInt(0)).isEqualTo(ByteBuffer.wrap(a).getInt(0));
        Set<ByteBuffer> starts = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            byte[] n = new byte[NonceSequence.BYTES];
            new NonceSequence(new SecureRandom()).next(n, 0);
            starts.add(ByteBuffer.wrap(n));
        }
        assertThat(starts).hasSize(100);
    }
}
