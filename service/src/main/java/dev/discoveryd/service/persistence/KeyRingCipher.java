package dev.discoveryd.service.persistence;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.snapshots.SnapshotCipher;

/** The service's at-rest keys, as the snapshot store needs them. */
public final class KeyRingCipher implements SnapshotCipher {
    private static final String BLIND_CONTEXT = "discoveryd/snapshot/key";
    private final KeyRing keys;

    public KeyRingCipher(KeyRing keys) {
        this.keys = keys;
    }

    @Override
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        return keys.seal(plaintext, associatedData);
    }

    @Override
    public byte[] open(byte[] sealed, byte[] associatedData) {
        return keys.open(sealed, associatedData);
    }

    @Override
    public int openInto(byte[] sealed, int offset, int length, byte[] associatedData, java.nio.ByteBuffer out) {
        return keys.openInto(sealed, offset, length, associatedData, out);
    }

    @Override
    public byte[] blind(byte[] id) {
        return keys.blind(BLIND_CONTEXT, id);
    }

    @Override
    public String keyId() {
        return Integer.toString(keys.newestKeyId());
    }
}
