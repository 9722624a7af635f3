package dev.discoveryd.kafka;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.codec.EventCodec;
import dev.discoveryd.core.port.FencedException;
import dev.discoveryd.core.port.LogException;
import dev.discoveryd.eventlog.record.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes a partition. Appends queue up; the thread commits what has gathered as one Kafka
 * transaction (acks=all, idempotent), then completes the futures in order. Ownership is the transactional id: a claim
 * starts a producer under it, which the broker uses to fence off the previous holder (here or on another instance),
 * and writes a chained claim record whose offset is the owner epoch.
 */
final class PartitionWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionWriter.class);

    private final KafkaLogOptions options;
    private final int partition;
    private final BlockingQueue<Object> commands = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long epoch = -1;
    private volatile String unusable = "never claimed";
    private volatile long lastEventOffset = -1;
    private volatile boolean fencedOff;

    // Writer-thread state.
    private KafkaProducer<byte[], byte[]> producer;
    private byte[] anchor;

    private record Pending(long epoch, byte[] plaintext, CompletableFuture<LogPosition> future) {
    }

    /** The appends of one call, kept together in one transaction. */
    private record Appends(List<Pending> appends) {
    }

    private record Claim(CompletableFuture<Long> done) {
    }

    private record Stop() {
    }

    PartitionWriter(KafkaLogOptions options, int partition) {
        this.options = options;
        this.partition = partition;
        this.thread = new Thread(this::run, "kafka-writer-" + options.topic() + "-" + partition);
        thread.setDaemon(true);
        thread.start();
    }

    long epoch() {
        return epoch;
    }

    /** The offset of the last event this writer committed or found when claiming, -1 when none. */
    long lastEventOffset() {
        return lastEventOffset;
    }

    CompletableFuture<LogPosition> append(long ownerEpoch, Event event) {
        return appendAll(ownerEpoch, List.of(event)).get(0);
    }

    /**
     * Queues {@code events} as one command: they go into the same transaction, so they succeed or fail together
     * (the acknowledged events of a call are always a prefix of it), and the writer thread completes their futures
     * in order, after every earlier append's.
     */
    List<CompletableFuture<LogPosition>> appendAll(long ownerEpoch, List<Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        if (closed) {
            return failedAll(events.size(), new LogException("the Kafka log is closed"));
        }
        List<Pending> appends = new ArrayList<>(events.size());
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>(events.size());
        long bytes = 0;
        for (Event event : events) {
            byte[] plaintext = EventCodec.encode(event);
            bytes += plaintext.length;
            CompletableFuture<LogPosition> future = new CompletableFuture<>();
            appends.add(new Pending(ownerEpoch, plaintext, future));
            futures.add(future);
        }
        if (queuedBytes.addAndGet(bytes) > options.maxQueuedBytes()) {
            queuedBytes.addAndGet(-bytes);
            return failedAll(events.size(), new LogException("partition " + partition + " has "
                    + options.maxQueuedBytes() + " bytes of appends waiting for Kafka; try again later"));
        }
        commands.add(new Appends(appends));
        if (closed) {
            failQueued(new LogException("the Kafka log is closed"));
        }
        return futures;
    }

    private static List<CompletableFuture<LogPosition>> failedAll(int n, LogException failure) {
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(CompletableFuture.failedFuture(failure));
        }
        return futures;
    }

    /** Takes ownership (blocking): fences every earlier producer of this partition and returns the new epoch. */
    long claim() {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (closed) {
            throw new LogException("the Kafka log is closed");
        }
        commands.add(new Claim(done));
        try {
            return done.get(3 * options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LogException l ? l
                    : new LogException("claiming partition " + partition + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new LogException("claiming partition " + partition + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while claiming partition " + partition);
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(commands.take());
                commands.drainTo(batch, options.maxBatchRecords() - 1);
                List<Pending> appends = new ArrayList<>();
                for (Object command : batch) {
                    if (command instanceof Appends a) {
                        appends.addAll(a.appends());
                        continue;
                    }
                    write(appends);
                    appends.clear();
                    if (command instanceof Claim c) {
                        doClaim(c);
                    } else if (command instanceof Stop) {
                        failQueued(new LogException("the Kafka log is closed"));
                        return;
                    }
                }
                write(appends);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("Kafka writer of partition {} stopped: {}", partition, e.toString(), e);
            unusable = "the writer stopped: " + e;
            closed = true;
            failQueued(new LogException("the Kafka writer of partition " + partition + " stopped: " + e));
        } finally {
            closeProducer();
        }
    }

    private void doClaim(Claim claim) {
        closeProducer();
        epoch = -1;
        try (PartitionReader reader = new PartitionReader(options, partition, "claim-" + partition)) {
            producer = KafkaClients.writer(options, partition);
            producer.initTransactions();
            // initTransactions finished (committed or aborted) the previous holder's open transaction: the committed
            // end now holds everything anyone may still write under an older epoch.
            PartitionReader.Tail tail = reader.tail();
            anchor = tail.lastMac();
            lastEventOffset = tail.lastEventOffset();
            byte[] text = ("claimed by " + options.owner() + " at " + options.clock().instant())
                    .getBytes(StandardCharsets.UTF_8);
            byte[] record = RecordFormat.write(options.keys(), RecordFormat.KIND_CLAIM, anchor, text);
            producer.beginTransaction();
            Future<RecordMetadata> sent = producer.send(record(record));
            producer.commitTransaction();
            long offset = sent.get().offset();
            anchor = PartitionReader.macOf(record);
            epoch = offset;
            unusable = null;
            fencedOff = false;
            LOG.info("Took ownership of partition {} of {} (epoch {}, log end {})", partition, options.topic(),
                    offset, tail.endOffset());
            claim.done().complete(offset);
        } catch (Exception e) {
            closeProducer();
            unusable = "the claim failed: " + e;
            LOG.warn("Could not take ownership of partition {} of {}: {}", partition, options.topic(), e.toString());
            claim.done().completeExceptionally(fencedOrLog(e, -1));
        }
    }

    private ProducerRecord<byte[], byte[]> record(byte[] value) {
        return new ProducerRecord<>(options.topic(), partition, options.clock().millis(), null, value);
    }

    private void write(List<Pending> appends) {
        if (appends.isEmpty()) {
            return;
        }
        List<Pending> batch = new ArrayList<>(appends.size());
        for (Pending p : appends) {
            queuedBytes.addAndGet(-p.plaintext().length);
            if (unusable != null) {
                p.future().completeExceptionally(p.epoch() >= 0 && p.epoch() == epoch && !fencedOff
                        ? new LogException("partition " + partition + " cannot be written: " + unusable)
                        : new FencedException("owner epoch " + p.epoch() + " of partition " + partition
                                + " is not current (" + unusable + ")"));
            } else if (p.epoch() != epoch) {
                p.future().completeExceptionally(new FencedException(p.epoch(), epoch));
            } else {
                batch.add(p);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        byte[] committed = anchor;
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        List<Long> offsets = new ArrayList<>(batch.size());
        try {
            producer.beginTransaction();
            for (Pending p : batch) {
                byte[] value = RecordFormat.write(options.keys(), RecordFormat.KIND_EVENT, anchor, p.plaintext());
                anchor = PartitionReader.macOf(value);
                sent.add(producer.send(record(value)));
            }
            producer.commitTransaction();
            for (Future<RecordMetadata> f : sent) {
                offsets.add(f.get().offset());
            }
        } catch (Exception e) {
            anchor = committed;
            failBatch(batch, e);
            return;
        }
        lastEventOffset = offsets.get(offsets.size() - 1);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future().complete(LogPosition.START.advance(partition, offsets.get(i)));
        }
    }

    private void failBatch(List<Pending> batch, Exception e) {
        LogException failure = fencedOrLog(e, epoch);
        if (failure instanceof FencedException) {
            LOG.warn("Partition {} of {}: fenced off by a newer owner; this instance no longer writes it",
                    partition, options.topic());
            unusable = "fenced off by a newer owner";
            fencedOff = true;
            closeProducer();
        } else {
            LOG.warn("Partition {} of {}: an append batch of {} failed: {}", partition, options.topic(), batch.size(),
                    e.toString());
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailed) {
                // The transaction's fate is unknown, so is the chain's anchor: only a new claim may write again.
                unusable = "a failed transaction could not be aborted (" + abortFailed + "); claim again";
                closeProducer();
            }
        }
        for (Pending p : batch) {
            p.future().completeExceptionally(failure);
        }
    }

    private static LogException fencedOrLog(Throwable e, long epoch) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return new FencedException("owner epoch " + epoch + " was fenced off by a newer owner: "
                        + t.getMessage());
            }
            if (t instanceof LogException l) {
                return l;
            }
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new LogException("Kafka did not take the append: " + cause, cause);
    }

    private void failQueued(LogException failure) {
        Object command;
        while ((command = commands.poll()) != null) {
            if (command instanceof Appends a) {
                for (Pending p : a.appends()) {
                    queuedBytes.addAndGet(-p.plaintext().length);
                    p.future().completeExceptionally(failure);
                }
            } else if (command instanceof Claim c) {
                c.done().completeExceptionally(failure);
            }
        }
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the producer of partition {}: {}", partition, e.toString());
            }
            producer = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        commands.add(new Stop());
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10) + options.requestTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
