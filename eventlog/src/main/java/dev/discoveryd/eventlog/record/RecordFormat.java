package dev.discoveryd.eventlog.record;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.crypto.SealException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The bytes of one log record (one Chronicle excerpt). Nothing but the format byte, the kind and MACs is in plaintext.
 *
 * <pre>
 * offset  size  field
 * 0       1     format version (1)
 * 1       1     kind: 1 event, 2 drop marker (names an unreadable record that recovery dropped)
 * 2       32    prevMac: the mac field of the preceding record (32 zero bytes for the first record ever written)
 * 34      n     sealed payload, {@link KeyRing#seal} output: key id (2), nonce (12), AES-256-GCM ciphertext + tag (16);
 *               associated data = bytes 0..33; plaintext = {@link dev.discoveryd.eventlog.codec.EventCodec} bytes
 *               (event) or the dropped record's index as 8 bytes (drop marker)
 * 34+n    32    mac: HMAC-SHA256 over bytes 0..33+n under the chain subkey of the sealing key
 * </pre>
 *
 * The mac chains records: each record commits to its predecessor's mac, so without the key a record cannot be
 * modified, removed, reordered or inserted without breaking the chain at that point.
 */
public final class RecordFormat {
    public static final int FORMAT = 1;
    public static final int KIND_EVENT = 1;
    public static final int KIND_DROP_MARKER = 2;
    public static final int MAC_BYTES = 32;
    public static final byte[] GENESIS = new byte[MAC_BYTES];

    private static final int HEADER = 2 + MAC_BYTES;
    private static final int MIN_SEALED = 2 + 12 + 16;

    private RecordFormat() {
    }

    /** Builds a record of {@code kind} holding {@code plaintext}, chained after {@code prevMac}. */
    public static byte[] write(KeyRing keys, int kind, byte[] prevMac, byte[] plaintext) {
        byte[] header = new byte[HEADER];
        header[0] = FORMAT;
        header[1] = (byte) kind;
        System.arraycopy(prevMac, 0, header, 2, MAC_BYTES);
        byte[] sealed = keys.seal(plaintext, header);
        byte[] body = new byte[HEADER + sealed.length];
        System.arraycopy(header, 0, body, 0, HEADER);
        System.arraycopy(sealed, 0, body, HEADER, sealed.length);
        byte[] mac = keys.mac(keys.newestKeyId(), body);
        byte[] record = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac, 0, record, body.length, MAC_BYTES);
        return record;
    }

    /** A drop-marker record naming {@code droppedIndex}. */
    public static byte[] dropMarker(KeyRing keys, byte[] prevMac, long droppedIndex) {
        return write(keys, KIND_DROP_MARKER, prevMac, ByteBuffer.allocate(8).putLong(droppedIndex).array());
    }

    /** Authenticates and decrypts a record; fails with {@link RecordException} saying what is wrong with it. */
    public static OpenedRecord read(KeyRing keys, byte[] record) {
        if (record.length < HEADER + MIN_SEALED + MAC_BYTES) {
            throw new RecordException("too short (" + record.length + " bytes)");
        }
        if (record[0] != FORMAT) {
            throw new RecordException("unknown record format " + (record[0] & 0xFF));
        }
        int kind = record[1];
        if (kind != KIND_EVENT && kind != KIND_DROP_MARKER) {
            throw new RecordException("unknown record kind " + kind);
        }
        int macAt = record.length - MAC_BYTES;
        int keyId = ((record[HEADER] & 0xFF) << 8) | (record[HEADER + 1] & 0xFF);
        if (!keys.hasKey(keyId)) {
            throw new RecordException("sealed under key " + keyId + ", which is not configured");
        }
        byte[] body = Arrays.copyOf(record, macAt);
        byte[] mac = Arrays.copyOfRange(record, macAt, record.length);
        if (!MessageDigest.isEqual(mac, keys.mac(keyId, body))) {
            throw new RecordException("MAC mismatch (record modified or torn, or a different key under the same id)");
        }
        byte[] header = Arrays.copyOf(record, HEADER);
        byte[] plaintext;
        try {
            plaintext = keys.open(Arrays.copyOfRange(record, HEADER, macAt), header);
        } catch (SealException e) {
            throw new RecordException("cannot decrypt: " + e.getMessage());
        }
        return new OpenedRecord(kind, Arrays.copyOfRange(record, 2, HEADER), mac, plaintext, record.length);
    }
}
