package dev.discoveryd.eventlog.record;

import java.nio.ByteBuffer;

/** An authenticated, decrypted record: its kind, chain links and plaintext; {@code storedBytes} is its size on disk. */
public record OpenedRecord(int kind, byte[] prevMac, byte[] mac, byte[] plaintext, int storedBytes) {
    public boolean isDropMarker() {
        return kind == RecordFormat.KIND_DROP_MARKER;
    }

    /** An ownership claim of a replicated log: chained like an event, holds no event. */
    public boolean isClaim() {
        return kind == RecordFormat.KIND_CLAIM;
    }

    /** The index a drop marker names. */
    public long droppedIndex() {
        return ByteBuffer.wrap(plaintext).getLong();
    }
}
