package dev.discoveryd.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of the log holds a cluster: {@code toPositive(murmur2(utf8(clusterId))) % partitions}, Kafka's own
 * hash for keyed records, so any instance, tool or client can compute the owner's partition without asking.
 */
public final class ClusterPartitions {
    private ClusterPartitions() {
    }

    public static int partitionOf(String clusterId, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be positive: " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(clusterId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
