package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;

/** Stored cluster entries: key {@code blind(clusterId)}, value {@code seal(encoded cluster, AD = prefix + key)}. */
final class ClusterEntries {
    static final int MAX_KEY_BYTES = 255;

    private final SnapshotCipher cipher;

    ClusterEntries(SnapshotCipher cipher) {
        this.cipher = cipher;
    }

    byte[] key(String clusterId) {
        byte[] key = cipher.blind(clusterId.getBytes(StandardCharsets.UTF_8));
        if (key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalStateException("blinded keys must be 1 to " + MAX_KEY_BYTES + " bytes, got " + key.length);
        }
        return key;
    }

    /** {key, value} of a non-empty cluster; safe to call from several threads. */
    byte[][] seal(ClusterState cluster) {
        byte[] key = key(cluster.id());
        return new byte[][]{key, cipher.seal(StoredClusterCodec.encode(cluster), SnapshotDb.clusterAd(key))};
    }

    /** Adds to {@code batch} every stored cluster re-blinded and re-sealed with the current keys. */
    void rekey(WriteBatch batch, SnapshotDb db, Tallies tallies) throws RocksDBException {
        try (ReadOptions options = new ReadOptions(); RocksIterator it = db.clusterIterator(options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] oldKey = it.key();
                byte[] plaintext = cipher.open(it.value(), SnapshotDb.clusterAd(oldKey));
                String id = StoredClusterCodec.clusterId(plaintext);
                byte[] newKey = key(id);
                byte[] value = cipher.seal(plaintext, SnapshotDb.clusterAd(newKey));
                batch.delete(db.clusters(), oldKey);
                batch.put(db.clusters(), newKey, value);
                tallies.resize(id, newKey.length + value.length);
            }
            it.status();
        }
    }
}
