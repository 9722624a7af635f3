package dev.discoveryd.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ClusterPartitionsTest {
    @Test
    void aClusterGoesWhereKafkasOwnPartitionerSendsItsKey() {
        Map<Integer, Integer> perPartition = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            String id = "cluster-" + i + "-\u00e9";
            int p = ClusterPartitions.partitionOf(id, 48);
            assertThat(p).isEqualTo(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), 48));
            perPartition.merge(p, 1, Integer::sum);
        }
        // Spread: every partition gets a fair share (10000/48 ≈ 208).
        assertThat(perPartition).hasSize(48);
        assertThat(perPartition.values()).allSatisfy(n -> assertThat(n).isBetween(140, 280));
    }
}
