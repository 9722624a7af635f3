package dev.discoveryd.service.scaleout;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.snapshots.SnapshotCipher;
import dev.discoveryd.snapshots.SnapshotStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's snapshots of the partitions it served: one encrypted snapshot store (the single-instance format)
 * per partition under {@code <data-dir>/kafka-snapshots/<topic>/partition-N}, each tagged with the partition offset
 * it covers. A store is opened for one load or save at a time, so no RocksDB handle outlives its use.
 */
public final class PartitionSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionSnapshots.class);

    private final Path root;
    private final SnapshotCipher cipher;

    /** The latest snapshot of a partition as loaded: its clusters and the position it covers (START: none). */
    public record Start(View view, LogPosition covered, boolean fromSnapshot) {
        static Start none() {
            return new Start(new View(), LogPosition.START, false);
        }
    }

    public PartitionSnapshots(Path dataDir, String topic, SnapshotCipher cipher) {
        this.root = dataDir.resolve("kafka-snapshots").resolve(topic);
        this.cipher = cipher;
    }

    public Path dir(int partition) {
        return root.resolve("partition-" + partition);
    }

    /** The latest snapshot this instance has of {@code partition}; none when missing or unreadable (then logged). */
    public synchronized Start load(int partition) {
        try (SnapshotStore store = SnapshotStore.open(dir(partition), cipher)) {
            LoadResult result = store.load();
            if (result instanceof LoadResult.Loaded loaded) {
                return new Start(loaded.view(), loaded.covered(), true);
            }
            return Start.none();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Partition {}: its snapshot in {} cannot be read, replaying the whole partition: {}", partition,
                    dir(partition), e.toString());
            return Start.none();
        }
    }

    /** Replaces the partition's snapshot with {@code clusters}, which hold every event up to {@code covered}. */
    public synchronized void save(int partition, LogPosition covered, Collection<ClusterState> clusters)
            throws IOException {
        try (SnapshotStore store = SnapshotStore.open(dir(partition), cipher)) {
            store.replace(covered, clusters);
        }
    }
}
