package dev.discoveryd.kafka;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.LogConsumer;
import dev.discoveryd.core.port.LogException;
import dev.discoveryd.eventlog.record.ChainBreakException;
import dev.discoveryd.eventlog.record.ChainCheck;
import dev.discoveryd.eventlog.record.CheckedEvent;
import dev.discoveryd.eventlog.record.OpenedRecord;
import dev.discoveryd.eventlog.record.RecordException;
import dev.discoveryd.eventlog.record.RecordFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition's committed records through one consumer of its own: replays from a position with the chain
 * checked, and finds the tail (the last record's mac, the last event). Not thread-safe; its owner serializes calls.
 */
final class PartitionReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);
    /** Records read back from the end at first when looking for the last event; grows fourfold until found. */
    private static final int TAIL_WINDOW = 32;

    private final KafkaLogOptions options;
    private final TopicPartition tp;
    private final int partition;
    private final KafkaConsumer<byte[], byte[]> consumer;

    /** The end of a partition: the mac the next record must link to, and the last event's offset (-1: none). */
    record Tail(byte[] lastMac, long lastEventOffset, long endOffset) {
    }

    PartitionReader(KafkaLogOptions options, int partition, String role) {
        this.options = options;
        this.partition = partition;
        this.tp = new TopicPartition(options.topic(), partition);
        this.consumer = KafkaClients.reader(options, role);
        consumer.assign(Set.of(tp));
    }

    LogPosition positionOf(long offset) {
        return LogPosition.START.advance(partition, offset);
    }

    long beginning() {
        return consumer.beginningOffsets(Set.of(tp)).get(tp);
    }

    /** The committed end (the last stable offset for read_committed): everything before it is decided. */
    long end() {
        return consumer.endOffsets(Set.of(tp)).get(tp);
    }

    /** A chain check for reading from {@code from}: anchored at genesis only when reading the partition's very start. */
    ChainCheck checkFrom(long from) {
        return new ChainCheck(options.keys(), from == 0 ? RecordFormat.GENESIS : null);
    }

    /** The offset to read first after {@code after}; fails when retention deleted records the caller still needs. */
    long firstOffsetAfter(LogPosition after) {
        long begin = beginning();
        long last = after.offset(partition);
        if (last != LogPosition.NONE_OFFSET && last + 1 < begin) {
            throw new LogException("partition " + partition + " starts at offset " + begin
                    + " (older records deleted); cannot read after offset " + last);
        }
        return Math.max(begin, last + 1);
    }

    /** Delivers every committed event from {@code from} up to {@code end}, chained by {@code check}; returns how many. */
    int read(long from, long end, ChainCheck check, LogConsumer sink) {
        return readChecked(from, end, check, event -> sink.accept(positionOf(event.index()), event.event()));
    }

    /** As {@link #read}, with each event's offset (its index) and record size, for the audit tools. */
    int readChecked(long from, long end, ChainCheck check, java.util.function.Consumer<CheckedEvent> sink) {
        consumer.seek(tp, from);
        int delivered = 0;
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        while (consumer.position(tp) < end) {
            List<ConsumerRecord<byte[], byte[]>> records;
            try {
                records = consumer.poll(POLL).records(tp);
            } catch (KafkaException e) {
                throw new LogException("cannot read partition " + partition + " of " + options.topic() + ": " + e, e);
            }
            if (!records.isEmpty()) {
                deadline = System.nanoTime() + options.requestTimeout().toNanos();
            } else if (System.nanoTime() > deadline) {
                throw new LogException("reading partition " + partition + " made no progress for "
                        + options.requestTimeout() + " at offset " + consumer.position(tp) + " of " + end);
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.offset() >= end) {
                    break;
                }
                CheckedEvent event = check(check, record);
                if (event != null) {
                    sink.accept(new CheckedEvent(record.offset(), event.event(), record.serializedValueSize()));
                    delivered++;
                }
            }
        }
        if (check.unresolvedTail().isPresent()) {
            throw new LogException("partition " + partition + " record " + check.unresolvedTail().getAsLong()
                    + " is unreadable: " + check.unresolvedReason());
        }
        return delivered;
    }

    private CheckedEvent check(ChainCheck check, ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        try {
            return check.next(record.offset(), value);
        } catch (ChainBreakException e) {
            throw new LogException("partition " + partition + " of " + options.topic() + " is corrupt or was tampered"
                    + " with at offset " + e.index() + ": " + e.reason(), e);
        }
    }

    /**
     * The least offset in [{@code lo}, {@code hi}] before which every event is older than {@code cutoffMillis}, found
     * by bisection on the records' own (writer clock) timestamps: the broker's time index also counts transaction
     * markers, stamped with the broker's clock, so it cannot answer this.
     */
    long firstOffsetAtOrAfter(long cutoffMillis, long lo, long hi) {
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            ConsumerRecord<byte[], byte[]> first = firstRecord(mid, hi);
            if (first == null || first.timestamp() >= cutoffMillis) {
                hi = mid;
            } else {
                lo = first.offset() + 1;
            }
        }
        return lo;
    }

    /** The first committed record at an offset in [{@code from}, {@code to}), or null when there is none. */
    private ConsumerRecord<byte[], byte[]> firstRecord(long from, long to) {
        consumer.seek(tp, from);
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        while (consumer.position(tp) < to) {
            List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(POLL).records(tp);
            if (!records.isEmpty()) {
                ConsumerRecord<byte[], byte[]> first = records.get(0);
                return first.offset() < to ? first : null;
            }
            if (System.nanoTime() > deadline) {
                throw new LogException("reading partition " + partition + " at offset " + from + " made no progress");
            }
        }
        return null;
    }

    /** Finds the partition's tail by reading back from the end, a growing window at a time. */
    Tail tail() {
        long begin = beginning();
        long end = end();
        byte[] lastMac = null;
        long lastEvent = -1;
        long from = Math.max(begin, end - TAIL_WINDOW);
        long to = end;
        while (to > begin) {
            consumer.seek(tp, from);
            long deadline = System.nanoTime() + options.requestTimeout().toNanos();
            byte[] windowMac = null;
            long windowEvent = -1;
            while (consumer.position(tp) < to) {
                List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(POLL).records(tp);
                if (records.isEmpty() && System.nanoTime() > deadline) {
                    throw new LogException("reading the tail of partition " + partition + " made no progress");
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() >= to) {
                        break;
                    }
                    OpenedRecord opened = open(record);
                    windowMac = opened.mac();
                    if (!opened.isClaim() && !opened.isDropMarker()) {
                        windowEvent = record.offset();
                    }
                }
            }
            if (lastMac == null) {
                lastMac = windowMac;
            }
            if (windowEvent >= 0) {
                lastEvent = windowEvent;
            }
            if (lastMac != null && lastEvent >= 0) {
                break;
            }
            to = from;
            from = Math.max(begin, end - 4 * (end - from));
        }
        return new Tail(lastMac == null ? RecordFormat.GENESIS : lastMac, lastEvent, end);
    }

    private OpenedRecord open(ConsumerRecord<byte[], byte[]> record) {
        try {
            return RecordFormat.read(options.keys(), record.value() == null ? new byte[0] : record.value());
        } catch (RecordException e) {
            throw new LogException("partition " + partition + " record " + record.offset() + " is unreadable: "
                    + e.getMessage());
        }
    }

    static byte[] macOf(byte[] record) {
        return Arrays.copyOfRange(record, record.length - RecordFormat.MAC_BYTES, record.length);
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
    }
}
