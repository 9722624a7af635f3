package dev.discoveryd.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partitions this instance owns: membership of a Kafka consumer group ({@code group.protocol=consumer}) over the
 * log's topic, whose assignment decides. On assignment the partition is claimed (fencing its former owner), handed to
 * the {@link Listener} to catch up, and only then published as served here; on revocation or loss it stops being
 * served at once. One supervised thread drives the group and the owner directory; the group consumer reads nothing
 * (its partitions stay paused), it only holds the assignment.
 */
public final class PartitionOwnership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);

    /** What the service does with partitions as they come and go; called on the ownership thread. */
    public interface Listener {
        /** {@code log} was just claimed: rebuild its clusters (replay) and return when they can be served. */
        void acquired(PartitionLog log) throws Exception;

        /** {@code partition} is no longer owned here: stop serving its clusters now (end watchers, drop state). */
        void released(int partition);
    }

    /** Where a cluster's requests go from this instance's point of view. */
    public sealed interface Route {
        /** Owned and caught up: serve it here. */
        record Serve(PartitionLog log) implements Route {
        }

        /** Another instance serves it. */
        record Redirect(String endpoint) implements Route {
        }

        /** Nobody serves it right now (a hand-over is under way): the client should retry shortly. */
        record Retry(String reason) implements Route {
        }
    }

    private final KafkaLog log;
    private final String groupId;
    private final String endpoint;
    private final Listener listener;
    private final Map<Integer, PartitionLog> serving = new ConcurrentHashMap<>();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private final Set<Integer> toAcquire = ConcurrentHashMap.newKeySet();
    private volatile boolean assignedOnce;
    private volatile boolean started;
    private final OwnerDirectory directory;
    private final KafkaConsumer<byte[], byte[]> group;
    private final Thread thread;
    private final CountDownLatch joined = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile String failure;
    private volatile long redirects;

    public PartitionOwnership(KafkaLog log, String groupId, String endpoint, Listener listener) {
        this.log = log;
        this.groupId = groupId;
        this.endpoint = endpoint;
        this.listener = listener;
        KafkaLogOptions options = log.options();
        this.directory = new OwnerDirectory(options, log.admin());
        Map<String, Object> config = new HashMap<>(options.clientProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "discoveryd-" + options.owner() + "-member");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        this.group = new KafkaConsumer<>(config);
        this.thread = new Thread(this::run, "kafka-ownership");
        thread.setDaemon(true);
    }

    /** Joins the group; returns at once (see {@link #awaitJoined}). */
    public synchronized void start() {
        if (!started && !closed) {
            started = true;
            thread.start();
        }
    }

    /** Waits until the group gave this instance its first assignment (possibly empty) and it caught up on it. */
    public boolean awaitJoined(Duration timeout) throws InterruptedException {
        return joined.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The route of a cluster's requests; counts redirects. */
    public Route route(String clusterId) {
        int partition = log.partitionOf(clusterId);
        PartitionLog owned = serving.get(partition);
        if (owned != null) {
            return new Route.Serve(owned);
        }
        Optional<OwnerDirectory.Owner> owner = directory.ownerOf(partition);
        if (owner.isPresent() && !owner.get().endpoint().equals(endpoint) && !assigned.contains(partition)) {
            redirects++;
            return new Route.Redirect(owner.get().endpoint());
        }
        return new Route.Retry("partition " + partition + " is being handed over; retry shortly");
    }

    /** Partitions served here now (claimed and caught up). */
    public Set<Integer> served() {
        return Set.copyOf(new TreeSet<>(serving.keySet()));
    }

    /** Partitions the group assigned here that are not served yet (catching up). */
    public Set<Integer> catchingUp() {
        Set<Integer> pending = new TreeSet<>(assigned);
        pending.removeAll(serving.keySet());
        return pending;
    }

    public long redirects() {
        return redirects;
    }

    /** Why ownership stopped working (the thread died), or null. */
    public String failure() {
        return failure;
    }

    private void run() {
        try {
            group.subscribe(List.of(log.options().topic()), new Rebalance());
            long retryAt = 0;
            while (!closed) {
                group.poll(Duration.ofMillis(100));
                directory.refresh(Duration.ofMillis(50));
                if (!toAcquire.isEmpty() && System.nanoTime() - retryAt >= 0) {
                    if (!acquirePending()) {
                        retryAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                    }
                }
                if (toAcquire.isEmpty() && (assignedOnce || group.groupMetadata().generationId() > 0)) {
                    joined.countDown();
                }
            }
        } catch (WakeupException e) {
            // close()
        } catch (RuntimeException | Error e) {
            failure = "ownership stopped: " + e;
            LOG.error("Partition ownership stopped; this instance serves nothing until restarted: {}", e.toString());
        } finally {
            releaseAll();
            try {
                group.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.debug("closing the group consumer: {}", e.toString());
            }
            directory.close();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            group.pause(partitions);
            for (TopicPartition tp : partitions) {
                assigned.add(tp.partition());
                toAcquire.add(tp.partition());
            }
            assignedOnce = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> release(tp.partition(), "moved to another instance"));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> release(tp.partition(), "lost (this instance fell out of the group)"));
        }
    }

    /** Takes over what the group assigned, between polls (the group's heartbeats go on meanwhile). */
    private boolean acquirePending() {
        boolean all = true;
        for (Integer partition : new TreeSet<>(toAcquire)) {
            if (closed) {
                return all;
            }
            if (!assigned.contains(partition)) {
                toAcquire.remove(partition);
            } else if (acquire(partition)) {
                toAcquire.remove(partition);
            } else {
                all = false;
            }
        }
        return all;
    }

    private boolean acquire(int partition) {
        long started = System.nanoTime();
        PartitionLog partitionLog = log.open(partition);
        try {
            long epoch = partitionLog.claimOwnership();
            listener.acquired(partitionLog);
            directory.publish(partition, endpoint, epoch);
            serving.put(partition, partitionLog);
            LOG.info("Serving partition {} (epoch {}) after {} ms of catch-up", partition, epoch,
                    (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (Exception e) {
            LOG.warn("Could not take partition {} over, retrying in 2 s: {}", partition, e.toString());
            partitionLog.close();
            listener.released(partition);
            return false;
        }
    }

    private void release(int partition, String why) {
        assigned.remove(partition);
        toAcquire.remove(partition);
        PartitionLog partitionLog = serving.remove(partition);
        if (partitionLog == null) {
            return;
        }
        listener.released(partition);
        partitionLog.close();
        LOG.info("Stopped serving partition {}: {}", partition, why);
    }

    private void releaseAll() {
        for (Integer partition : Set.copyOf(serving.keySet())) {
            release(partition, "shutting down");
        }
    }

    /** Leaves the group (its partitions move to the others at once) and stops serving. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            if (!started) {
                group.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
                directory.close();
                return;
            }
        }
        group.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
