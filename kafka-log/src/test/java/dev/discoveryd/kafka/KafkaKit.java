package dev.discoveryd.kafka;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real in-process KRaft cluster (1 controller + 3 brokers) every Kafka test of this module shares: started once
 * per test JVM by the first class that needs it (6-15 s), closed when the run ends. Each test uses topics of its own.
 */
public final class KafkaKit implements BeforeAllCallback {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static volatile Running running;

    private record Running(KafkaClusterTestKit cluster)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (KafkaKit.class) {
            if (running == null) {
                running = new Running(start(3));
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(KafkaKit.class, running);
            }
        }
    }

    /** A new cluster of {@code brokers} brokers and one controller; the caller closes it. */
    public static KafkaClusterTestKit start(int brokers) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setNumControllerNodes(1).setNumBrokerNodes(brokers).build());
        int replicas = Math.min(3, brokers);
        builder.setConfigProp("offsets.topic.replication.factor", Integer.toString(replicas));
        builder.setConfigProp("offsets.topic.num.partitions", "4");
        builder.setConfigProp("transaction.state.log.replication.factor", Integer.toString(replicas));
        builder.setConfigProp("transaction.state.log.min.isr", Integer.toString(Math.min(2, replicas)));
        builder.setConfigProp("transaction.state.log.num.partitions", "4");
        builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
        // Assignments travel with heartbeats; a crashed member's partitions move after its session.
        builder.setConfigProp("group.consumer.heartbeat.interval.ms", "500");
        builder.setConfigProp("group.consumer.min.heartbeat.interval.ms", "500");
        builder.setConfigProp("group.consumer.session.timeout.ms", "6000");
        builder.setConfigProp("group.consumer.min.session.timeout.ms", "6000");
        builder.setConfigProp("num.network.threads", "2");
        builder.setConfigProp("num.io.threads", "2");
        builder.setConfigProp("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        KafkaClusterTestKit cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }

    public static String bootstrap() {
        return running.cluster().bootstrapServers();
    }

    /** A topic name no other test uses. */
    public static String freshTopic(String prefix) {
        return prefix + "-" + TOPICS.incrementAndGet() + "-" + ProcessHandle.current().pid();
    }
}
