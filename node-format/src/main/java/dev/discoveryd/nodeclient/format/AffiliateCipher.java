package dev.discoveryd.nodeclient.format;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM for affiliate data: {@code nonce(12) || ciphertext || tag(16)}, no associated data. JDK AES. */
public final class AffiliateCipher {
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    public AffiliateCipher(ClusterSecret secret, SecureRandom random) {
        this.key = new SecretKeySpec(secret.key(), "AES");
        this.random = random;
    }

    public byte[] encrypt(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return encrypt(plaintext, nonce);
    }

    /** Deterministic form for tests and vectors; never reuse a nonce in production. */
    public byte[] encrypt(byte[] plaintext, byte[] nonce) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("nonce must be 12 bytes");
        }
        try {
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, nonce, 0);
            byte[] out = new byte[NONCE_BYTES + gcm.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            gcm.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] blob) throws BlobFormatException {
        if (blob.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new BlobFormatException("affiliate data too short (" + blob.length + " bytes)");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, blob, 0).doFinal(blob, NONCE_BYTES, blob.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new BlobFormatException("affiliate data failed authentication (wrong cluster secret?)");
        } catch (GeneralSecurityException e) {
            throw new BlobFormatException("affiliate data cannot be decrypted: " + e.getMessage());
        }
    }

    private Cipher cipher(int mode, byte[] nonceSource, int offset) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(nonceSource, offset, offset + NONCE_BYTES)));
        return gcm;
    }
}
