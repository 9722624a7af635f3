package dev.discoveryd.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** One configured at-rest key and the subkeys derived from it; cipher objects are made per call (thread-safe). */
final class ServiceKey {
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    static final int SEAL_OVERHEAD = 2 + NONCE_BYTES + TAG_BITS / 8;

    private final int id;
    private final KeyParameter encryptionKey;
    private final byte[] macKey;
    private final byte[] blindKey;
    // Per-thread keyed state: keying GCM (its multiplier tables) and HMAC costs more than a small record's crypto.
    private final ThreadLocal<GCMModeCipher> gcm;
    private final ThreadLocal<HMac> macs;

    ServiceKey(int id, byte[] key) {
        if (id < 1 || id > 0xFFFF) {
            throw new IllegalArgumentException("key id " + id + " is outside 1..65535");
        }
        if (key.length != KeyRing.KEY_BYTES) {
            throw new IllegalArgumentException("key " + id + " has " + key.length + " bytes, expected " + KeyRing.KEY_BYTES);
        }
        this.id = id;
        this.encryptionKey = new KeyParameter(key);
        // Separate subkeys so a MAC or blinded value never equals anything computed under the encryption key.
        this.macKey = hmac(key, ascii("discoveryd/v1/chain-mac"));
        this.blindKey = hmac(key, ascii("discoveryd/v1/blind"));
        this.gcm = ThreadLocal.withInitial(() -> {
            GCMModeCipher c = GCMBlockCipher.newInstance(AESEngine.newInstance());
            c.init(false, new AEADParameters(encryptionKey, TAG_BITS, new byte[NONCE_BYTES]));
            return c;
        });
        this.macs = ThreadLocal.withInitial(() -> {
            HMac m = new HMac(SHA256Digest.newInstance());
            m.init(new KeyParameter(macKey));
            return m;
        });
    }

    int id() {
        return id;
    }

    byte[] seal(byte[] plaintext, byte[] associatedData, SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        GCMModeCipher gcm = cipher(true, nonce, associatedData);
        byte[] out = new byte[2 + NONCE_BYTES + gcm.getOutputSize(plaintext.length)];
        ByteBuffer.wrap(out).putShort((short) id).put(nonce);
        int n = gcm.processBytes(plaintext, 0, plaintext.length, out, 2 + NONCE_BYTES);
        try {
            gcm.doFinal(out, 2 + NONCE_BYTES + n);
        } catch (InvalidCipherTextException e) {
            throw new SealException("encryption failed: " + e.getMessage());
        }
        return out;
    }

    byte[] open(byte[] sealed, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        System.arraycopy(sealed, 2, nonce, 0, NONCE_BYTES);
        GCMModeCipher gcm = cipher(false, nonce, associatedData);
        int offset = 2 + NONCE_BYTES;
        byte[] out = new byte[gcm.getOutputSize(sealed.length - offset)];
        int n = gcm.processBytes(sealed, offset, sealed.length - offset, out, 0);
        try {
            gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new SealException("authentication failed under key " + id);
        }
        return out;
    }

    byte[] mac(byte[]... parts) {
        HMac mac = macs.get();
        for (byte[] p : parts) {
            mac.update(p, 0, p.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0); // also resets to the keyed initial state
        return out;
    }

    byte[] blind(byte[] context, byte[] value) {
        byte[] length = ByteBuffer.allocate(4).putInt(context.length).array();
        return hmac(blindKey, length, context, value);
    }

    private GCMModeCipher cipher(boolean encrypt, byte[] nonce, byte[] associatedData) {
        GCMModeCipher c = gcm.get();
        // A null key keeps the key (and multiplier tables) set up when the thread's cipher was made.
        c.init(encrypt, new AEADParameters(null, TAG_BITS, nonce, associatedData));
        return c;
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        HMac mac = new HMac(SHA256Digest.newInstance());
        mac.init(new KeyParameter(key));
        for (byte[] p : parts) {
            mac.update(p, 0, p.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
