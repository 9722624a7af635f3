package dev.discoveryd.crypto;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 96-bit AES-GCM nonces that never repeat within one sequence: a random start drawn once from {@link SecureRandom},
 * then a 64-bit counter added to its low 64 bits. GCM needs nonces to be unique under a key, not unpredictable; two
 * sequences (another process, a restart) repeat a nonce only if their random starts fall within the number of
 * records apart, about 2^-80 for a billion records each. Drawing 12 random bytes per record cost about as much as
 * the encryption itself on the log's writer thread; this costs one atomic increment. Thread-safe.
 */
final class NonceSequence {
    static final int BYTES = 12;

    private final int high;
    private final long lowStart;
    private final AtomicLong counter = new AtomicLong();

    NonceSequence(SecureRandom random) {
        this.high = random.nextInt();
        this.lowStart = random.nextLong();
    }

    /** Writes the next nonce into {@code out} at {@code offset}. */
    void next(byte[] out, int offset) {
        long low = lowStart + counter.getAndIncrement();
        out[offset] = (byte) (high >>> 24);
        out[offset + 1] = (byte) (high >>> 16);
        out[offset + 2] = (byte) (high >>> 8);
        out[offset + 3] = (byte) high;
        for (int i = 0; i < 8; i++) {
            out[offset + 4 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }
}
