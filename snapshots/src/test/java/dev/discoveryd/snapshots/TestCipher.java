package dev.discoveryd.snapshots;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real {@link SnapshotCipher} for tests and the benchmark: AES-256-GCM with random keys and a random 96-bit nonce
 * per value, HMAC-SHA256 for blinding. Sealed layout: key generation (1 byte) | nonce (12) | ciphertext+tag.
 * {@link #rotate} adds a key generation; {@link #retire} forgets one.
 */
final class TestCipher implements SnapshotCipher {
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> AES = ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/GCM/NoPadding")));
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));

    private record Generation(SecretKeySpec aes, SecretKeySpec hmac) {
    }

    private final List<Generation> generations = new CopyOnWriteArrayList<>();
    private volatile int current;

    TestCipher() {
        rotate();
    }

    synchronized void rotate() {
        generations.add(new Generation(new SecretKeySpec(random(32), "AES"), new SecretKeySpec(random(32), "HmacSHA256")));
        current = generations.size() - 1;
    }

    synchronized void retire(int generation) {
        generations.set(generation, null);
    }

    @Override
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        int gen = current;
        byte[] out = new byte[1 + NONCE + plaintext.length + 16];
        out[0] = (byte) gen;
        byte[] nonce = random(NONCE);
        System.arraycopy(nonce, 0, out, 1, NONCE);
        try {
            Cipher aes = AES.get();
            aes.init(Cipher.ENCRYPT_MODE, generation(gen).aes, new GCMParameterSpec(128, nonce));
            aes.updateAAD(associatedData);
            aes.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] open(byte[] sealed, byte[] associatedData) {
        if (sealed.length < 1 + NONCE + 16) {
            throw new IllegalArgumentException("sealed value too short");
        }
        try {
            Cipher aes = AES.get();
            aes.init(Cipher.DECRYPT_MODE, generation(sealed[0]).aes, new GCMParameterSpec(128, sealed, 1, NONCE));
            aes.updateAAD(associatedData);
            return aes.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("value failed authentication", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] blind(byte[] id) {
        try {
            Mac mac = HMAC.get();
            mac.init(generation(current).hmac);
            return mac.doFinal(id);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String keyId() {
        return "test-" + current;
    }

    private Generation generation(int index) {
        Generation g = index >= 0 && index < generations.size() ? generations.get(index) : null;
        if (g == null) {
            throw new IllegalArgumentException("unknown key generation " + index);
        }
        return g;
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T instance(Factory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
