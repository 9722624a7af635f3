package dev.discoveryd.nodeclient.format;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Endpoint records: {@code len(1) || proto || zero padding} to a multiple of 16 bytes, each block
 * AES-encrypted on its own (ECB). Deterministic on purpose so that the server can deduplicate. JDK AES.
 */
public final class EndpointCipher {
    public static final int BLOCK = 16;

    private final SecretKeySpec key;

    public EndpointCipher(ClusterSecret secret) {
        this.key = new SecretKeySpec(secret.key(), "AES");
    }

    public byte[] encrypt(byte[] endpointProto) {
        return process(true, pad(endpointProto));
    }

    /** The plaintext record: length byte, the proto, zeros up to a whole number of blocks. */
    static byte[] pad(byte[] endpointProto) {
        if (endpointProto.length > 255) {
            throw new IllegalArgumentException("endpoint record too long");
        }
        int padded = (endpointProto.length + 1 + BLOCK - 1) / BLOCK * BLOCK;
        byte[] record = new byte[padded];
        record[0] = (byte) endpointProto.length;
        System.arraycopy(endpointProto, 0, record, 1, endpointProto.length);
        return record;
    }

    public byte[] decrypt(byte[] encrypted) throws BlobFormatException {
        if (encrypted.length == 0 || encrypted.length % BLOCK != 0) {
            throw new BlobFormatException("endpoint record length " + encrypted.length + " is not a multiple of 16");
        }
        byte[] record = process(false, encrypted);
        int length = record[0] & 0xFF;
        if (length > record.length - 1) {
            throw new BlobFormatException("endpoint record length byte " + length + " exceeds record");
        }
        return Arrays.copyOfRange(record, 1, 1 + length);
    }

    /**
     * As {@link #decrypt}, also requiring the zero padding the format prescribes. Endpoint records carry no
     * authentication, so this is how a reader holding a secret tells a record sealed with another secret (its padding
     * decrypts to noise) from a real one; records without padding (a 15-byte proto) cannot be told apart.
     */
    public byte[] decryptChecked(byte[] encrypted) throws BlobFormatException {
        byte[] proto = decrypt(encrypted);
        byte[] record = process(false, encrypted);
        for (int i = 1 + proto.length; i < record.length; i++) {
            if (record[i] != 0) {
                throw new BlobFormatException("endpoint record padding is not zero (wrong cluster secret?)");
            }
        }
        return proto;
    }

    private byte[] process(boolean encrypt, byte[] input) {
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key);
            return aes.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed", e);
        }
    }
}
