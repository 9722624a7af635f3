package dev.discoveryd.snapshots;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Scans every file RocksDB writes for the IDs, data and endpoints that went into the snapshot. */
class EncryptionAtRestTest {
    @TempDir
    Path tmp;

    /** Stores nothing secret: the control that shows the scan finds plaintext when it is there. */
    private static final class PlainCipher implements SnapshotCipher {
        public byte[] seal(byte[] plaintext, byte[] associatedData) {
            return plaintext.clone();
        }

        public byte[] open(byte[] sealed, byte[] associatedData) {
            return sealed.clone();
        }

        public byte[] blind(byte[] id) {
            return id.clone();
        }

        public String keyId() {
            return "plain";
        }
    }

    private final List<byte[]> secrets = new ArrayList<>();

    private List<ClusterState> secretClusters(int count) {
        List<ClusterState> clusters = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            ClusterState cluster = new ClusterState("cluster-" + UUID.randomUUID());
            secrets.add(cluster.id().getBytes(StandardCharsets.UTF_8));
            for (int a = 0; a < 3; a++) {
                String id = "affiliate-" + UUID.randomUUID();
                byte[] data = ("data-" + UUID.randomUUID() + "-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
                byte[] endpoint = TestCipher.random(24);
                cluster.restore(Affiliate.restore(id, data, 1_000, new byte[][]{endpoint}, new long[]{1_000}));
                secrets.add(id.getBytes(StandardCharsets.UTF_8));
                secrets.add(data);
                secrets.add(endpoint);
            }
            clusters.add(cluster);
        }
        return clusters;
    }

    private List<String> writeAndScan(SnapshotCipher cipher) throws IOException {
        Path dir = tmp.resolve("snapshot");
        List<String> found = new ArrayList<>();
        try (SnapshotStore store = SnapshotStore.open(dir, cipher)) {
            store.load();
            store.replace(Fixtures.at(1), secretClusters(20));
            store.save(Fixtures.at(2), secretClusters(5), List.of());
            found.addAll(scan(dir));
        }
        found.addAll(scan(dir));
        return found;
    }

    @Test
    void noIdDataOrEndpointAppearsInAnyFile() throws IOException {
        assertThat(writeAndScan(new TestCipher())).isEmpty();
        assertThat(secrets).hasSize(25 * 10);
    }

    @Test
    void theScanFindsPlaintextWhenItIsStored() throws IOException {
        assertThat(writeAndScan(new PlainCipher())).isNotEmpty();
    }

    private List<String> scan(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString()).anyMatch(n -> n.endsWith(".sst"));
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (byte[] secret : secrets) {
                if (SnapshotDamageTest.indexOf(bytes, secret) >= 0) {
                    found.add(file.getFileName() + " holds " + new String(secret, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return found;
    }
}
