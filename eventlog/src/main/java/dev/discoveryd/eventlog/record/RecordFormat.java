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
 * 0       1     format version: 2 is written, 1 is still read (see mac)
 * 1       1     kind: 1 event, 2 drop marker (names an unreadable record that recovery dropped), 3 ownership claim
 *               (a replicated log's new owner took its partition over; plaintext says who, only the Kafka log writes it)
 * 2       32    prevMac: the mac field of the preceding record (32 zero bytes for the first record ever written)
 * 34      n     sealed payload, {@link KeyRing#seal} output: key id (2), nonce (12), AES-256-GCM ciphertext + tag (16);
 *               associated data = bytes 0..33; plaintext = {@link dev.discoveryd.core.codec.EventCodec} bytes
 *               (event) or the dropped record's index as 8 bytes (drop marker)
 * 34+n    32    mac: HMAC-SHA256 under the chain subkey of the sealing key, over
 *               format 2: bytes 0..33 (header), the key id and nonce, and the GCM tag (64 bytes);
 *               format 1: bytes 0..33+n (the whole record before it)
 * </pre>
 *
 * The mac chains records: each record commits to its predecessor's mac, so without the key a record cannot be
 * modified, removed, reordered or inserted without breaking the chain at that point. In format 2 the mac covers the
 * ciphertext through the GCM tag, which already authenticates the header and ciphertext under the key (and every
 * read decrypts and checks it); hashing 64 bytes instead of the whole record made the writer's MAC several times
 * cheaper. Both formats may appear in one log: the chain links are the same 32-byte macs.
 */
public final class RecordFormat {
    /** The format written. */
    public static final int FORMAT = 2;
    /** The first format: its mac hashes the whole record. Read, no longer written. */
    public static final int FORMAT_1 = 1;
    public static final int KIND_EVENT = 1;
    public static final int KIND_DROP_MARKER = 2;
    public static final int KIND_CLAIM = 3;
    public static final int MAC_BYTES = 32;
    public static final byte[] GENESIS = new byte[MAC_BYTES];

    private static final int HEADER = 2 + MAC_BYTES;
    private static final int KEY_ID_AND_NONCE = 2 + 12;
    private static final int TAG_BYTES = 16;
    private static final int MIN_SEALED = KEY_ID_AND_NONCE + TAG_BYTES;

    private RecordFormat() {
    }

    /** Builds a record of {@code kind} holding {@code plaintext}, chained after {@code prevMac}. */
    public static byte[] write(KeyRing keys, int kind, byte[] prevMac, byte[] plaintext) {
        return write(keys, FORMAT, kind, prevMac, plaintext);
    }

    /** Builds a record in {@code format} (tests write format 1 to check that old logs still read). */
    public static byte[] write(KeyRing keys, int format, int kind, byte[] prevMac, byte[] plaintext) {
        if (format != FORMAT && format != FORMAT_1) {
            throw new IllegalArgumentException("unknown record format " + format);
        }
        byte[] header = new byte[HEADER];
        header[0] = (byte) format;
        header[1] = (byte) kind;
        System.arraycopy(prevMac, 0, header, 2, MAC_BYTES);
        byte[] sealed = keys.seal(plaintext, header);
        int macAt = HEADER + sealed.length;
        byte[] record = new byte[macAt + MAC_BYTES];
        System.arraycopy(header, 0, record, 0, HEADER);
        System.arraycopy(sealed, 0, record, HEADER, sealed.length);
        byte[] mac = keys.mac(keys.newestKeyId(), macInput(format, record, macAt));
        System.arraycopy(mac, 0, record, macAt, MAC_BYTES);
        return record;
    }

    /** What the mac of a record whose mac starts at {@code macAt} hashes. */
    private static byte[] macInput(int format, byte[] record, int macAt) {
        if (format == FORMAT_1) {
            return Arrays.copyOf(record, macAt);
        }
        byte[] in = new byte[HEADER + KEY_ID_AND_NONCE + TAG_BYTES];
        System.arraycopy(record, 0, in, 0, HEADER + KEY_ID_AND_NONCE);
        System.arraycopy(record, macAt - TAG_BYTES, in, HEADER + KEY_ID_AND_NONCE, TAG_BYTES);
        return in;
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
        int format = record[0] & 0xFF;
        if (format != FORMAT && format != FORMAT_1) {
            throw new RecordException("unknown record format " + format);
        }
        int kind = record[1];
        if (kind != KIND_EVENT && kind != KIND_DROP_MARKER && kind != KIND_CLAIM) {
            throw new RecordException("unknown record kind " + kind);
        }
        int macAt = record.length - MAC_BYTES;
        int keyId = ((record[HEADER] & 0xFF) << 8) | (record[HEADER + 1] & 0xFF);
        if (!keys.hasKey(keyId)) {
            throw new RecordException("sealed under key " + keyId + ", which is not configured");
        }
        byte[] mac = Arrays.copyOfRange(record, macAt, record.length);
        if (!MessageDigest.isEqual(mac, keys.mac(keyId, macInput(format, record, macAt)))) {
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
