package dev.discoveryd.kafka;

import dev.discoveryd.crypto.KeyRing;
import java.time.Clock;
import java.time.Duration;

/** Options for tests: the shared kit, a fresh topic of {@code partitions} × 3 replicas, short timeouts. */
final class KafkaTestLogs {
    static final KeyRing KEYS = KeyRing.generate(1);

    private KafkaTestLogs() {
    }

    static KafkaLogOptions fresh(String name, int partitions, Clock clock) {
        return KafkaLogOptions.defaults(KafkaKit.bootstrap(), KEYS, name)
                .withTopic(KafkaKit.freshTopic(name), partitions, (short) 3, 2)
                .withClock(clock)
                .withRequestTimeout(Duration.ofSeconds(20));
    }
}
