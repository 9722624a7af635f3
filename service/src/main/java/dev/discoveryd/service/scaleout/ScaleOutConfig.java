package dev.discoveryd.service.scaleout;

import java.util.Objects;

/**
 * {@code --log=kafka}: many instances share the clusters, sharded over the partitions of a replicated log.
 *
 * @param bootstrap         {@code --kafka-bootstrap}: brokers to start from (host:port,...)
 * @param topic             {@code --kafka-topic}: the log's topic (and {@code <topic>-owners}, who serves what)
 * @param partitions        {@code --kafka-partitions}: shards; fixed for the topic's life
 * @param replicationFactor {@code --kafka-replication-factor}
 * @param minInsyncReplicas {@code --kafka-min-insync-replicas}
 * @param group             {@code --kafka-group}: the consumer group whose assignment decides ownership
 * @param advertiseEndpoint {@code --advertise-endpoint}: host:port clients of this instance's clusters are sent to
 * @param instanceId        {@code --instance-id}: this instance's name in claims, client ids and logs
 */
public record ScaleOutConfig(String bootstrap, String topic, int partitions, short replicationFactor,
                             int minInsyncReplicas, String group, String advertiseEndpoint, String instanceId) {
    public ScaleOutConfig {
        Objects.requireNonNull(bootstrap);
        if (bootstrap.isBlank()) {
            throw new IllegalArgumentException("--log=kafka needs --kafka-bootstrap");
        }
        if (advertiseEndpoint == null || advertiseEndpoint.isBlank() || !advertiseEndpoint.contains(":")) {
            throw new IllegalArgumentException("--log=kafka needs --advertise-endpoint HOST:PORT (where clients reach"
                    + " this instance; other instances redirect there)");
        }
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = advertiseEndpoint.replace(':', '-');
        }
    }
}
