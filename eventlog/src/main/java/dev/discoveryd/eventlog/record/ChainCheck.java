package dev.discoveryd.eventlog.record;

import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.core.codec.EventCodec;
import dev.discoveryd.core.codec.EventCodecException;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Checks records in log order: each must authenticate and follow its predecessor. An unreadable record is accepted
 * only when a drop marker naming it comes next (recovery dropped it) or when it is the last record (a torn write,
 * reported by {@link #unresolvedTail()}); anything else throws {@link ChainBreakException} naming the first bad
 * record. Single-threaded.
 */
public final class ChainCheck {
    private final KeyRing keys;
    private byte[] anchor;
    private long lastGoodIndex = -1;
    private long pendingIndex = -1;
    private String pendingReason;
    private long dropped;

    /** @param anchor the mac the next record must follow, or null to accept the first record's link as it is */
    public ChainCheck(KeyRing keys, byte[] anchor) {
        this.keys = keys;
        this.anchor = anchor == null ? null : anchor.clone();
    }

    /**
     * Checks the record at {@code index}; returns the event it holds, or null for a drop marker, a claim, or an unreadable
     * record whose fate the next record decides.
     */
    public CheckedEvent next(long index, byte[] raw) {
        OpenedRecord record;
        try {
            record = RecordFormat.read(keys, raw);
        } catch (RecordException e) {
            if (pendingReason != null) {
                throw pendingBreak();
            }
            pendingIndex = index;
            pendingReason = e.getMessage();
            return null;
        }
        if (anchor != null && !Arrays.equals(record.prevMac(), anchor)) {
            if (pendingReason != null) {
                throw pendingBreak();
            }
            throw new ChainBreakException(index, "does not follow record " + lastGoodIndex
                    + " (a record was removed, reordered or inserted here)");
        }
        if (pendingReason != null) {
            if (!record.isDropMarker() || record.droppedIndex() != pendingIndex) {
                throw pendingBreak();
            }
            pendingReason = null;
            dropped++;
        } else if (record.isDropMarker()) {
            throw new ChainBreakException(index, "drop marker for record " + record.droppedIndex()
                    + ", which is not an unreadable record before it");
        }
        anchor = record.mac();
        lastGoodIndex = index;
        if (record.isDropMarker() || record.isClaim()) {
            return null;
        }
        try {
            Event event = EventCodec.decode(record.plaintext());
            return new CheckedEvent(index, event, record.storedBytes());
        } catch (EventCodecException e) {
            throw new ChainBreakException(index, "authentic but undecodable: " + e.getMessage());
        }
    }

    /** The index of an unreadable last record (torn write, or a modified last record), if the log ended with one. */
    public OptionalLong unresolvedTail() {
        return pendingReason == null ? OptionalLong.empty() : OptionalLong.of(pendingIndex);
    }

    /** Why the record of {@link #unresolvedTail()} is unreadable. */
    public String unresolvedReason() {
        return pendingReason;
    }

    /** The mac the next record must link to (null before any good record when started without an anchor). */
    public byte[] anchor() {
        return anchor == null ? null : anchor.clone();
    }

    public long lastGoodIndex() {
        return lastGoodIndex;
    }

    /** How many unreadable records were passed because a drop marker names them. */
    public long dropped() {
        return dropped;
    }

    private ChainBreakException pendingBreak() {
        return new ChainBreakException(pendingIndex, pendingReason);
    }
}
