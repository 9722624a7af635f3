package dev.discoveryd.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Who serves which partition, for redirects: a compacted one-partition topic {@code <topic>-owners} holding, per log
 * partition, the advertised endpoint and epoch of the instance that last took it over and caught up. Every instance
 * reads it all (48 small records). Not thread-safe except {@link #ownerOf}; the ownership thread drives it.
 */
final class OwnerDirectory implements AutoCloseable {
    /** The latest owner of a partition as published: where clients of its clusters are sent. */
    record Owner(String endpoint, long epoch) {
    }

    private final KafkaLogOptions options;
    private final TopicPartition tp;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final KafkaProducer<byte[], byte[]> writer;
    private final Map<Integer, Owner> owners = new ConcurrentHashMap<>();

    OwnerDirectory(KafkaLogOptions options, Admin admin) {
        this.options = options;
        String topic = options.topic() + "-owners";
        this.tp = new TopicPartition(topic, 0);
        create(admin, topic);
        this.reader = KafkaClients.reader(options, "owners-reader");
        reader.assign(Set.of(tp));
        reader.seekToBeginning(Set.of(tp));
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap(),
                ProducerConfig.CLIENT_ID_CONFIG, "discoveryd-" + options.owner() + "-owners-writer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) options.requestTimeout().toMillis(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        java.util.HashMap<String, Object> all = new java.util.HashMap<>(options.clientProperties());
        all.putAll(config);
        this.writer = new KafkaProducer<>(all);
    }

    private void create(Admin admin, String topic) {
        NewTopic owners = new NewTopic(topic, 1, options.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(options.minInsyncReplicas())));
        try {
            admin.createTopics(List.of(owners)).all().get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the owners topic " + topic + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the owners topic " + topic + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Says, durably, that {@code endpoint} now serves {@code partition} under {@code epoch}. */
    void publish(int partition, String endpoint, long epoch) throws Exception {
        byte[] key = Integer.toString(partition).getBytes(StandardCharsets.UTF_8);
        byte[] value = (endpoint + " " + epoch).getBytes(StandardCharsets.UTF_8);
        writer.send(new ProducerRecord<>(tp.topic(), 0, key, value))
                .get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        owners.merge(partition, new Owner(endpoint, epoch), (a, b) -> b.epoch() >= a.epoch() ? b : a);
    }

    /** Reads what was published since the last call, waiting at most {@code wait}. */
    void refresh(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(wait).records(tp)) {
            if (record.key() == null || record.value() == null) {
                continue;
            }
            try {
                int partition = Integer.parseInt(new String(record.key(), StandardCharsets.UTF_8));
                String[] parts = new String(record.value(), StandardCharsets.UTF_8).split(" ", 2);
                Owner owner = new Owner(parts[0], Long.parseLong(parts[1]));
                // Epochs grow with every claim of a partition: an older publication arriving late changes nothing.
                owners.merge(partition, owner, (a, b) -> b.epoch() >= a.epoch() ? b : a);
            } catch (RuntimeException e) {
                // Not ours (or damaged): the next publication for that partition replaces it.
            }
        }
    }

    Optional<Owner> ownerOf(int partition) {
        return Optional.ofNullable(owners.get(partition));
    }

    @Override
    public void close() {
        writer.close(Duration.ofSeconds(2));
        reader.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
    }
}
