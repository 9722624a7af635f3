package dev.discoveryd.core.port;

import java.time.Duration;

/**
 * Figures of one snapshot save or load, for the {@code discovery_storage_last_operation_*} and
 * {@code discovery_storage_last_snapshot_size_bytes} metrics. Counts describe the whole snapshot, not just what
 * changed; {@code sizeBytes} is the stored (encrypted) size of keys and values.
 */
public record StorageStats(long clusters, long affiliates, long endpoints, long sizeBytes, Duration duration) {
}
