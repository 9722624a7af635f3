package dev.discoveryd.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated log's topic: created when missing (retention left to discoveryd, which deletes only what snapshots
 * cover), checked when present, and the source of {@link PartitionLog}s. Owns the admin client.
 */
public final class KafkaLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLog.class);

    private final KafkaLogOptions options;
    private final Admin admin;

    private KafkaLog(KafkaLogOptions options, Admin admin) {
        this.options = options;
        this.admin = admin;
    }

    /** Connects and makes sure the topic exists with the configured partition count; fails with a clear message. */
    public static KafkaLog connect(KafkaLogOptions options) {
        Admin admin = KafkaClients.admin(options);
        try {
            ensureTopic(options, admin);
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        return new KafkaLog(options, admin);
    }

    /**
     * Connects to the topic as it is, for reading (the audit tools): never creates it; the partition count is the
     * topic's own. Fails with a clear message when the topic does not exist.
     */
    public static KafkaLog existing(KafkaLogOptions options) {
        Admin admin = KafkaClients.admin(options);
        try {
            TopicDescription found = admin.describeTopics(List.of(options.topic())).allTopicNames()
                    .get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).get(options.topic());
            KafkaLogOptions actual = options.withTopic(options.topic(), found.partitions().size(),
                    options.replicationFactor(), options.minInsyncReplicas());
            return new KafkaLog(actual, admin);
        } catch (ExecutionException e) {
            admin.close();
            throw new IllegalStateException("no event log topic " + options.topic() + " at " + options.bootstrap()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            admin.close();
            throw new IllegalStateException("Kafka at " + options.bootstrap() + " did not answer within "
                    + options.requestTimeout());
        } catch (InterruptedException e) {
            admin.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka");
        }
    }

    private static void ensureTopic(KafkaLogOptions options, Admin admin) {
        long timeout = options.requestTimeout().toMillis();
        NewTopic topic = new NewTopic(options.topic(), options.partitions(), options.replicationFactor()).configs(Map.of(
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(options.minInsyncReplicas()),
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime",
                TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false"));
        try {
            try {
                admin.createTopics(List.of(topic)).all().get(timeout, TimeUnit.MILLISECONDS);
                LOG.info("Created the event log topic {} ({} partitions × {} replicas, min.insync.replicas {})",
                        options.topic(), options.partitions(), options.replicationFactor(), options.minInsyncReplicas());
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the event log topic " + options.topic() + " at "
                            + options.bootstrap() + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            TopicDescription found = admin.describeTopics(List.of(options.topic())).allTopicNames()
                    .get(timeout, TimeUnit.MILLISECONDS).get(options.topic());
            if (found.partitions().size() != options.partitions()) {
                throw new IllegalStateException("the event log topic " + options.topic() + " has "
                        + found.partitions().size() + " partitions, configured " + options.partitions()
                        + ": the cluster-to-partition map depends on the count, so it must match");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the event log topic " + options.topic() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + options.bootstrap() + " did not answer within "
                    + options.requestTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to Kafka");
        }
    }

    Admin admin() {
        return admin;
    }

    public KafkaLogOptions options() {
        return options;
    }

    public int partitions() {
        return options.partitions();
    }

    /** The partition holding {@code clusterId}. */
    public int partitionOf(String clusterId) {
        return ClusterPartitions.partitionOf(clusterId, options.partitions());
    }

    /** Opens one partition for reading; {@link PartitionLog#claimOwnership()} before writing. The caller owns it. */
    public PartitionLog open(int partition) {
        if (partition < 0 || partition >= options.partitions()) {
            throw new IllegalArgumentException("partition " + partition + " of " + options.partitions());
        }
        return new PartitionLog(options, admin, partition);
    }

    @Override
    public void close() {
        admin.close();
    }
}
