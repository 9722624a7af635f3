package dev.discoveryd.nodeclient.format;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** AES-256-GCM for affiliate data: {@code nonce(12) || ciphertext || tag(16)}, no associated data. */
public final class AffiliateCipher {
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BITS = 128;

    private final byte[] key;
    private final SecureRandom random;

    public AffiliateCipher(ClusterSecret secret, SecureRandom random) {
        this.key = secret.key();
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
        GCMModeCipher gcm = cipher(true, nonce);
        byte[] out = new byte[NONCE_BYTES + gcm.getOutputSize(plaintext.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        int written = gcm.processBytes(plaintext, 0, plaintext.length, out, NONCE_BYTES);
        try {
            gcm.doFinal(out, NONCE_BYTES + written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("GCM encryption cannot fail", e);
        }
        return out;
    }

    public byte[] decrypt(byte[] blob) throws BlobFormatException {
        if (blob.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new BlobFormatException("affiliate data too short (" + blob.length + " bytes)");
        }
        GCMModeCipher gcm = cipher(false, Arrays.copyOf(blob, NONCE_BYTES));
        int inputLength = blob.length - NONCE_BYTES;
        byte[] out = new byte[gcm.getOutputSize(inputLength)];
        int written = gcm.processBytes(blob, NONCE_BYTES, inputLength, out, 0);
        try {
            gcm.doFinal(out, written);
        } catch (InvalidCipherTextException e) {
            throw new BlobFormatException("affiliate data failed authentication (wrong cluster secret?)");
        }
        return out;
    }

    private GCMModeCipher cipher(boolean encrypt, byte[] nonce) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce));
        return gcm;
    }
}
