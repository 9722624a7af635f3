package dev.discoveryd.service.cli;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.kafka.KafkaLog;
import dev.discoveryd.kafka.KafkaLogOptions;
import dev.discoveryd.kafka.PartitionLog;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.function.Function;

/**
 * {@code --log=kafka --partition=N}: the audit tools read one partition of the replicated log instead of the local
 * queue. Read-only: never creates the topic, never claims the partition, so it is safe while the instances run.
 */
public final class PartitionSource {
    /** Which log the tools read. */
    enum Kind { chronicle, kafka }

    @Option(names = "--log", defaultValue = "chronicle", paramLabel = "KIND",
            description = "the log to read: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}); kafka needs"
                    + " --kafka-bootstrap and --partition")
    Kind log;

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT[,...]", description = "brokers, as the service has them")
    String bootstrap;

    @Option(names = "--kafka-topic", defaultValue = "discoveryd-events", paramLabel = "NAME",
            description = "the log's topic (default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--partition", paramLabel = "N", description = "the partition to read (with --log=kafka)")
    Integer partition;

    boolean kafka() {
        return log == Kind.kafka;
    }

    int partition() {
        return partition;
    }

    String topic() {
        return topic;
    }

    /** Opens the partition, hands it to {@code use} and closes it. */
    <T> T read(KeyRing keys, Function<PartitionLog, T> use) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--log=kafka needs --kafka-bootstrap");
        }
        if (partition == null || partition < 0) {
            throw new IllegalArgumentException("--log=kafka needs --partition N (0 or more)");
        }
        KafkaLogOptions options = KafkaLogOptions.defaults(bootstrap, keys, "discoveryd-tools")
                .withTopic(topic, 1, (short) 1, 1).withRequestTimeout(Duration.ofSeconds(20));
        try (KafkaLog kafka = KafkaLog.existing(options)) {
            if (partition >= kafka.partitions()) {
                throw new IllegalArgumentException("topic " + topic + " has " + kafka.partitions()
                        + " partitions: no partition " + partition);
            }
            try (PartitionLog p = kafka.open(partition)) {
                return use.apply(p);
            }
        }
    }
}
