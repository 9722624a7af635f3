package dev.discoveryd.core;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A place in the event log, opaque to everything but the log that made it: one offset per partition, meaning "every
 * record of partition p up to and including offset(p)". A single local log (Chronicle) is the one-partition case, its
 * index the offset; a partitioned log (Kafka) has one offset per partition. Offsets are only compared, never counted:
 * they grow in log order but need not be contiguous.
 *
 * <p>A partition the vector does not name is at {@link #NONE_OFFSET} (nothing from it), so {@link #START} is the
 * empty vector and trailing "nothing" entries are dropped: equal positions have equal vectors.
 *
 * <p>Order: {@link #includes} is the real question ("has everything of that position been seen here?"), a partial
 * order on vectors. {@link #compareTo} extends it to a total order (partition by partition), so that it agrees with
 * {@code includes} whenever one position includes the other, which is always the case for one partition.
 */
public final class LogPosition implements Comparable<LogPosition> {
    /** The offset of a partition nothing was read from. */
    public static final long NONE_OFFSET = -1;
    /** Before everything: nothing of any partition. */
    public static final LogPosition START = new LogPosition(new long[0]);
    /** Upper bound of the partitions a position may name (bounds decoding of untrusted bytes). */
    public static final int MAX_PARTITIONS = 65_536;

    private final long[] offsets;

    private LogPosition(long[] offsets) {
        this.offsets = offsets;
    }

    /** The one-partition position at {@code offset} ({@link #NONE_OFFSET} gives {@link #START}). */
    public static LogPosition of(long offset) {
        return offset == NONE_OFFSET ? START : of(new long[] {offset});
    }

    /** The position at {@code offsets[p]} in each partition p. */
    public static LogPosition of(long... offsets) {
        int length = offsets.length;
        if (length > MAX_PARTITIONS) {
            throw new IllegalArgumentException(length + " partitions, at most " + MAX_PARTITIONS);
        }
        for (long offset : offsets) {
            if (offset < NONE_OFFSET) {
                throw new IllegalArgumentException("offset " + offset + " is below " + NONE_OFFSET);
            }
        }
        while (length > 0 && offsets[length - 1] == NONE_OFFSET) {
            length--;
        }
        return length == 0 ? START : new LogPosition(Arrays.copyOf(offsets, length));
    }

    /** The offset in {@code partition}, {@link #NONE_OFFSET} when nothing of it is included. */
    public long offset(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition " + partition);
        }
        return partition < offsets.length ? offsets[partition] : NONE_OFFSET;
    }

    /** How many partitions are named (every later one is at {@link #NONE_OFFSET}). */
    public int partitions() {
        return offsets.length;
    }

    public boolean isStart() {
        return offsets.length == 0;
    }

    /** Whether every record {@code other} stands for is included here (partition by partition). */
    public boolean includes(LogPosition other) {
        for (int p = 0; p < other.offsets.length; p++) {
            if (offset(p) < other.offsets[p]) {
                return false;
            }
        }
        return true;
    }

    /** The least position that includes both (the per-partition maximum). */
    public LogPosition union(LogPosition other) {
        if (includes(other)) {
            return this;
        }
        if (other.includes(this)) {
            return other;
        }
        long[] merged = new long[Math.max(offsets.length, other.offsets.length)];
        for (int p = 0; p < merged.length; p++) {
            merged[p] = Math.max(offset(p), other.offset(p));
        }
        return new LogPosition(merged);
    }

    /** This position moved to {@code offset} in {@code partition} (never backwards). */
    public LogPosition advance(int partition, long offset) {
        if (offset <= offset(partition)) {
            return this;
        }
        long[] next = Arrays.copyOf(offsets, Math.max(offsets.length, partition + 1));
        Arrays.fill(next, offsets.length, next.length, NONE_OFFSET);
        next[partition] = offset;
        return new LogPosition(next);
    }

    /** Compact bytes for storing with a snapshot: a count, then one offset per partition. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(4 + 8 * offsets.length).putInt(offsets.length);
        for (long offset : offsets) {
            out.putLong(offset);
        }
        return out.array();
    }

    /** Reads what {@link #toBytes} wrote from {@code in}, advancing it. */
    public static LogPosition read(ByteBuffer in) {
        try {
            int count = in.getInt();
            if (count < 0 || count > MAX_PARTITIONS || count > in.remaining() / 8) {
                throw new IllegalArgumentException("bad partition count " + count);
            }
            long[] offsets = new long[count];
            for (int p = 0; p < count; p++) {
                offsets[p] = in.getLong();
            }
            return of(offsets);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated log position", e);
        }
    }

    @Override
    public int compareTo(LogPosition other) {
        int length = Math.max(offsets.length, other.offsets.length);
        for (int p = 0; p < length; p++) {
            int c = Long.compare(offset(p), other.offset(p));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogPosition other && Arrays.equals(offsets, other.offsets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(offsets);
    }

    /** "start", the bare offset for one partition (as operators know a log index), else "p:offset" pairs. */
    @Override
    public String toString() {
        if (offsets.length == 0) {
            return "start";
        }
        if (offsets.length == 1) {
            return Long.toString(offsets[0]);
        }
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < offsets.length; p++) {
            text.append(p == 0 ? "" : ",").append(p).append(':').append(offsets[p]);
        }
        return text.toString();
    }
}
