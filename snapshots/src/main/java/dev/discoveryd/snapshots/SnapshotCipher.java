package dev.discoveryd.snapshots;

/**
 * What the snapshot store needs from the service's keys: authenticated encryption of values bound to associated data,
 * and a keyed one-way function for storage keys, so that neither reveals cluster IDs, affiliate IDs or data.
 *
 * <p>The service adapts its key ring to this port. Implementations must be safe for concurrent use: the store opens
 * values on several threads while loading.
 */
public interface SnapshotCipher {

    /**
     * Encrypts and authenticates {@code plaintext} together with {@code associatedData} (not stored in the result) under
     * the current key; the result names the key it was sealed with so that {@link #open} works after a rotation.
     */
    byte[] seal(byte[] plaintext, byte[] associatedData);

    /**
     * The plaintext of a value made by {@link #seal} with the same associated data.
     *
     * @throws RuntimeException (any unchecked exception) when the value is damaged, was sealed with other associated
     *                          data, or under a key that is no longer known
     */
    byte[] open(byte[] sealed, byte[] associatedData);

    /**
     * As {@link #open} of {@code sealed[offset, offset + length)}, the plaintext written into {@code out} at its
     * position (which it advances; room for {@code length} bytes needed: a plaintext is never longer than its sealed
     * value); returns the plaintext's length. Loading a snapshot opens every value this way, from one reused array into
     * a few large buffers, instead of two arrays per value.
     */
    default int openInto(byte[] sealed, int offset, int length, byte[] associatedData, java.nio.ByteBuffer out) {
        byte[] plaintext = open(java.util.Arrays.copyOfRange(sealed, offset, offset + length), associatedData);
        out.put(plaintext);
        return plaintext.length;
    }

    /** A deterministic keyed digest of {@code id} (e.g. HMAC-SHA256) that does not reveal it; used as a storage key. */
    byte[] blind(byte[] id);

    /**
     * Names the current keys. When it changes (a rotation), the next save re-blinds and re-seals every stored entry
     * so that old keys can be retired and no entry is stored twice under two blinded keys.
     */
    String keyId();
}
