package dev.discoveryd.service.config;

import dev.discoveryd.eventlog.SyncPolicy;
import dev.discoveryd.service.state.QueueLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the state is kept on disk.
 *
 * @param inMemory     keep nothing on disk (no log, no snapshots): state is lost on restart
 * @param keyFiles     at-rest key files (newest key last); empty: a key is generated under the data directory
 * @param logMinFree   bytes the log leaves free on its disk: below that, changes are refused (0: never)
 * @param clusterQueue what each cluster may hold waiting for the log ({@code --cluster-queue}, {@code --cluster-queue-bytes})
 */
public record PersistenceConfig(
        Path dataDir,
        boolean inMemory,
        SyncPolicy syncPolicy,
        Duration syncInterval,
        Duration retention,
        List<Path> keyFiles,
        boolean snapshotsEnabled,
        Duration snapshotInterval,
        long logMinFree,
        QueueLimits clusterQueue) {

    public PersistenceConfig {
        keyFiles = List.copyOf(keyFiles);
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("--log-sync-interval must be positive");
        }
        if (logMinFree < 0) {
            throw new IllegalArgumentException("--log-min-free must not be negative");
        }
        if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
            throw new IllegalArgumentException("--snapshot-interval must be positive");
        }
    }
}
