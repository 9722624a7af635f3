package dev.discoveryd.kafka;

import dev.discoveryd.crypto.KeyRing;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach and shape the replicated log.
 *
 * @param bootstrap         {@code --kafka-bootstrap}: host:port[,host:port...] of brokers
 * @param topic             the log's topic, created with {@code partitions} when missing
 * @param partitions        shards of clusters; fixed for the topic's life (the cluster-to-partition map depends on it)
 * @param replicationFactor replicas of each partition (3 in production)
 * @param minInsyncReplicas replicas that must have a record before acks=all acknowledges it (2 of 3)
 * @param keys              seals records (Kafka does not encrypt at rest) and keys their chain MACs
 * @param clock             record timestamps and retention
 * @param retention         records older than this and covered by a snapshot may be deleted
 * @param owner             this instance's name, written into ownership claims for the audit trail
 * @param maxBatchRecords   appends committed in one Kafka transaction at most
 * @param maxQueuedBytes    encoded events waiting for the writer at most; appends beyond fail at once
 * @param requestTimeout    how long one Kafka operation may take (sized for a broker fencing stall of ~10 s)
 * @param clientProperties  extra client settings (security, etc.), applied to every client
 */
public record KafkaLogOptions(String bootstrap, String topic, int partitions, short replicationFactor,
                              int minInsyncReplicas, KeyRing keys, Clock clock, Duration retention, String owner,
                              int maxBatchRecords, long maxQueuedBytes, Duration requestTimeout,
                              Map<String, Object> clientProperties) {
    public KafkaLogOptions {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(owner, "owner");
        if (bootstrap.isBlank()) {
            throw new IllegalArgumentException("the Kafka bootstrap servers are empty");
        }
        if (partitions <= 0 || replicationFactor <= 0 || minInsyncReplicas <= 0 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("need partitions > 0 and 0 < min.insync.replicas <= replication factor,"
                    + " got " + partitions + ", " + minInsyncReplicas + ", " + replicationFactor);
        }
        if (maxBatchRecords <= 0 || maxQueuedBytes <= 0 || requestTimeout.isNegative() || requestTimeout.isZero()
                || retention.isNegative()) {
            throw new IllegalArgumentException("batch, queue bound and request timeout must be positive");
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    /** Topic {@code discoveryd-events}, 48 partitions × 3 replicas (min ISR 2), 7 days retention, 30 s timeouts. */
    public static KafkaLogOptions defaults(String bootstrap, KeyRing keys, String owner) {
        return new KafkaLogOptions(bootstrap, "discoveryd-events", 48, (short) 3, 2, keys, Clock.systemUTC(),
                Duration.ofDays(7), owner, 512, 64L << 20, Duration.ofSeconds(30), Map.of());
    }

    public KafkaLogOptions withTopic(String newTopic, int newPartitions, short newReplicationFactor, int newMinIsr) {
        return new KafkaLogOptions(bootstrap, newTopic, newPartitions, newReplicationFactor, newMinIsr, keys, clock,
                retention, owner, maxBatchRecords, maxQueuedBytes, requestTimeout, clientProperties);
    }

    public KafkaLogOptions withClock(Clock newClock) {
        return new KafkaLogOptions(bootstrap, topic, partitions, replicationFactor, minInsyncReplicas, keys, newClock,
                retention, owner, maxBatchRecords, maxQueuedBytes, requestTimeout, clientProperties);
    }

    public KafkaLogOptions withOwner(String newOwner) {
        return new KafkaLogOptions(bootstrap, topic, partitions, replicationFactor, minInsyncReplicas, keys, clock,
                retention, newOwner, maxBatchRecords, maxQueuedBytes, requestTimeout, clientProperties);
    }

    public KafkaLogOptions withRequestTimeout(Duration timeout) {
        return new KafkaLogOptions(bootstrap, topic, partitions, replicationFactor, minInsyncReplicas, keys, clock,
                retention, owner, maxBatchRecords, maxQueuedBytes, timeout, clientProperties);
    }

    /** The transactional id of a partition's writer: the same on every instance, so a new owner fences the old. */
    String transactionalId(int partition) {
        return topic + "-writer-" + partition;
    }
}
