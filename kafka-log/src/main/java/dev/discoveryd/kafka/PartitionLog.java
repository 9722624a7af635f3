package dev.discoveryd.kafka;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.port.EventLog;
import dev.discoveryd.core.port.FencedAppender;
import dev.discoveryd.core.port.LogConsumer;
import dev.discoveryd.core.port.LogException;
import dev.discoveryd.core.port.LogTail;
import dev.discoveryd.eventlog.record.ChainCheck;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition of the replicated log, the shard of the clusters that hash to it. Positions name this partition only.
 * Appends are written by the latest owner alone ({@link #claimOwnership}); anyone may read. {@link #append(Event)}
 * writes under this instance's own latest claim.
 */
public final class PartitionLog implements EventLog, FencedAppender {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final KafkaLogOptions options;
    private final Admin admin;
    private final int partition;
    private final TopicPartition tp;
    private final PartitionWriter writer;
    private final PartitionReader reader;
    private volatile boolean closed;

    PartitionLog(KafkaLogOptions options, Admin admin, int partition) {
        this.options = options;
        this.admin = admin;
        this.partition = partition;
        this.tp = new TopicPartition(options.topic(), partition);
        this.reader = new PartitionReader(options, partition, "reader-" + partition);
        this.writer = new PartitionWriter(options, partition);
    }

    public int partition() {
        return partition;
    }

    @Override
    public long claimOwnership() {
        ensureOpen();
        return writer.claim();
    }

    /** This instance's current owner epoch, -1 before its first claim. */
    public long epoch() {
        return writer.epoch();
    }

    @Override
    public CompletableFuture<LogPosition> append(Event event) {
        return writer.append(writer.epoch(), event);
    }

    @Override
    public CompletableFuture<LogPosition> append(long ownerEpoch, Event event) {
        return writer.append(ownerEpoch, event);
    }

    /** One transaction for the call (the default's chained futures could complete after a later call's). */
    @Override
    public List<CompletableFuture<LogPosition>> appendAll(List<Event> events) {
        return writer.appendAll(writer.epoch(), events);
    }

    @Override
    public synchronized void replay(LogPosition after, LogConsumer consumer) {
        ensureOpen();
        long end = readTarget(reader);
        long from = reader.firstOffsetAfter(after);
        reader.read(from, end, reader.checkFrom(from), consumer);
    }

    /**
     * Reads the whole partition (from the start of retention) with every record authenticated and the chain checked,
     * delivering each event with its offset as index and its record's size; fails with LogException on a bad record.
     * For the audit tools.
     */
    public synchronized void scan(java.util.function.Consumer<dev.discoveryd.eventlog.record.CheckedEvent> sink) {
        ensureOpen();
        long end = readTarget(reader);
        long from = reader.firstOffsetAfter(LogPosition.START);
        reader.readChecked(from, end, reader.checkFrom(from), sink);
    }

    /** The first offset still in the partition (older records were deleted by retention). */
    public synchronized long beginningOffset() {
        ensureOpen();
        return reader.beginning();
    }

    @Override
    public synchronized LogPosition end() {
        ensureOpen();
        long last = Math.max(reader.tail().lastEventOffset(), writer.lastEventOffset());
        return last < 0 ? LogPosition.START : reader.positionOf(last);
    }

    /**
     * Where a read must get to: the committed end, or past this instance's own last acknowledged append when the
     * broker has not written that transaction's commit marker yet (it does so just after acknowledging the commit).
     */
    private long readTarget(PartitionReader r) {
        return Math.max(r.end(), writer.lastEventOffset() + 1);
    }

    /** The committed end offset: how far a reader must get to have caught up (for lag). */
    public synchronized long endOffset() {
        ensureOpen();
        return reader.end();
    }

    @Override
    public LogTail tail(LogPosition after) {
        ensureOpen();
        return new Tail(after);
    }

    @Override
    public synchronized void retainFrom(LogPosition oldestNeeded) {
        ensureOpen();
        long needed = oldestNeeded.offset(partition);
        if (needed == LogPosition.NONE_OFFSET) {
            return;
        }
        long cutoff = options.clock().millis() - options.retention().toMillis();
        try {
            long begin = reader.beginning();
            long before = reader.firstOffsetAtOrAfter(cutoff, begin, Math.min(needed, reader.end()));
            if (before <= begin) {
                return;
            }
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(before))).all()
                    .get(timeoutMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Retention deleted partition {} of {} before offset {} (covered by a snapshot, older than {})",
                    partition, options.topic(), before, options.retention());
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Retention of partition {} of {} failed: {}", partition, options.topic(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long timeoutMillis() {
        return options.requestTimeout().toMillis();
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogException("the Kafka log of partition " + partition + " is closed");
        }
    }

    /** Waits for queued appends, then releases the partition's clients; appends after close fail. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        reader.close();
    }

    /** A follower with a consumer of its own: each poll reads what was committed since the previous one. */
    private final class Tail implements LogTail {
        private final PartitionReader tailReader = new PartitionReader(options, partition, "tail-" + partition);
        private final LogPosition after;
        private long next = -1;
        private ChainCheck check;
        private boolean tailClosed;

        Tail(LogPosition after) {
            this.after = after;
        }

        @Override
        public synchronized int poll(LogConsumer consumer) {
            if (tailClosed) {
                return 0;
            }
            long end = readTarget(tailReader);
            if (next < 0) {
                next = tailReader.firstOffsetAfter(after);
                check = tailReader.checkFrom(next);
            }
            if (next >= end) {
                return 0;
            }
            int delivered = tailReader.read(next, end, check, consumer);
            next = end;
            return delivered;
        }

        @Override
        public synchronized void close() {
            if (!tailClosed) {
                tailClosed = true;
                tailReader.close();
            }
        }
    }
}
