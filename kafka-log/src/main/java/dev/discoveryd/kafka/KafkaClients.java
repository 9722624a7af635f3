package dev.discoveryd.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The settings of the log's clients, in one place: what durability and fencing rest on. */
final class KafkaClients {
    private KafkaClients() {
    }

    private static Map<String, Object> common(KafkaLogOptions options, String role) {
        Map<String, Object> config = new HashMap<>(options.clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, "discoveryd-" + options.owner() + "-" + role);
        int timeout = (int) options.requestTimeout().toMillis();
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2));
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        return config;
    }

    /** Transactional (so idempotent, acks=all): a later producer with the same id fences this one off at the broker. */
    static KafkaProducer<byte[], byte[]> writer(KafkaLogOptions options, int partition) {
        Map<String, Object> config = common(options, "writer-" + partition);
        int timeout = (int) options.requestTimeout().toMillis();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, options.transactionalId(partition));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(timeout, 10_000));
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(1L << 20, options.maxQueuedBytes()));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    /** Reads committed records only, at offsets it is told (no group, no auto reset). */
    static KafkaConsumer<byte[], byte[]> reader(KafkaLogOptions options, String role) {
        Map<String, Object> config = common(options, role);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    static Admin admin(KafkaLogOptions options) {
        return Admin.create(common(options, "admin"));
    }
}
