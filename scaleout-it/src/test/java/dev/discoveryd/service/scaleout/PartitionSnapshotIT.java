package dev.discoveryd.service.scaleout;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.kafka.ClusterPartitions;
import dev.discoveryd.kafka.KafkaKit;
import dev.discoveryd.kafka.KafkaLog;
import dev.discoveryd.kafka.KafkaLogOptions;
import dev.discoveryd.kafka.PartitionLog;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.persistence.KeyRingCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Partition snapshots against the real Kafka kit: the state a new owner builds from its snapshot and the partition's
 * tail after it equals a full replay of the partition, and a restarted instance starts from its snapshot.
 */
@ExtendWith(KafkaKit.class)
class PartitionSnapshotIT {
    private static final KeyRing KEYS = KeyRing.generate(1);
    private static final long NOW = 1_780_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void snapshotPlusTailEqualsFullReplay() throws Exception {
        KafkaLogOptions options = KafkaLogOptions.defaults(KafkaKit.bootstrap(), KEYS, "snapshot-it")
                .withTopic(KafkaKit.freshTopic("snapshots"), 2, (short) 3, 2)
                .withRequestTimeout(Duration.ofSeconds(20));
        try (KafkaLog log = KafkaLog.connect(options); PartitionLog writer = log.open(1)) {
            writer.claimOwnership();
            List<String> clusters = clustersOf(1, 2, 12);
            append(writer, events(clusters, 0, 300));
            PartitionSnapshots snapshots = new PartitionSnapshots(dir, options.topic(), new KeyRingCipher(KEYS));

            PartitionCatchUp.Result first = catchUp(log, snapshots);
            assertThat(first.fromSnapshot()).isFalse();
            assertThat(first.replayed()).isEqualTo(300);
            snapshots.save(1, first.last(), first.view().clusters());

            append(writer, events(clusters, 300, 120)); // updates and deletes of what the snapshot holds
            PartitionCatchUp.Result fromSnapshot = catchUp(log, snapshots);
            PartitionCatchUp.Result full = catchUp(log, null);

            assertThat(fromSnapshot.fromSnapshot()).isTrue();
            assertThat(fromSnapshot.replayed()).isEqualTo(120);
            assertThat(full.replayed()).isEqualTo(420);
            assertThat(fromSnapshot.view()).isEqualTo(full.view());
            assertThat(fromSnapshot.last()).isEqualTo(full.last());
            assertThat(full.view().clusterCount()).isGreaterThan(0);
            assertThat(snapshots.dir(1)).isEqualTo(dir.resolve("kafka-snapshots").resolve(options.topic())
                    .resolve("partition-1"));
            assertThat(anyFileContains(snapshots.dir(1), clusters.get(0))).isFalse(); // sealed at rest
        }
    }

    @Test
    void aSnapshotFromAnotherLifeOfTheTopicIsNotUsed() throws Exception {
        KafkaLogOptions options = KafkaLogOptions.defaults(KafkaKit.bootstrap(), KEYS, "snapshot-it")
                .withTopic(KafkaKit.freshTopic("snapshots"), 2, (short) 3, 2)
                .withRequestTimeout(Duration.ofSeconds(20));
        try (KafkaLog log = KafkaLog.connect(options); PartitionLog writer = log.open(1)) {
            writer.claimOwnership();
            List<String> clusters = clustersOf(1, 2, 3);
            append(writer, events(clusters, 0, 10));
            PartitionSnapshots snapshots = new PartitionSnapshots(dir, options.topic(), new KeyRingCipher(KEYS));
            // Covers offset 1000 of a partition that ends near 12: the topic was deleted and created again.
            snapshots.save(1, LogPosition.START.advance(1, 1000), catchUp(log, null).view().clusters());

            PartitionCatchUp.Result caughtUp = catchUp(log, snapshots);
            assertThat(caughtUp.fromSnapshot()).isFalse();
            assertThat(caughtUp.replayed()).isEqualTo(10);
        }
    }

    @Test
    void aRestartedInstanceStartsFromItsSnapshotAndServesWhatAFullReplayGives() throws Exception {
        Path keyFile = dir.resolve("at-rest.keys");
        Files.writeString(keyFile, KeyRing.newKeyLine(1) + "\n");
        String topic = KafkaKit.freshTopic("restart");
        List<String> clusters = clustersOf(0, 1, 6);
        Path home = dir.resolve("home");
        try (DiscoveryServer first = start(topic, keyFile, home)) {
            awaitServing(first);
            update(first, clusters, "a", 5);
            long applied = first.registry().settledPosition(Duration.ofSeconds(5)).position().offset(0);
            PartitionSnapshots probe = new PartitionSnapshots(home, topic, new KeyRingCipher(
                    KeyRing.loadOrCreate(home, List.of(keyFile))));
            // The 1 s snapshot job catches up with the last update (a probe that holds the store's lock meanwhile
            // only makes one round fail).
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> probe.load(0).covered().offset(0) == applied);
        }
        try (DiscoveryServer other = start(topic, keyFile, dir.resolve("other"))) {
            awaitServing(other);
            update(other, clusters, "b", 3); // written while the first instance is away: its snapshot lacks them
        }
        try (DiscoveryServer restarted = start(topic, keyFile, home)) {
            awaitServing(restarted);
            double replayed = restarted.ops().meters().get("discovery.kafka.last.catchup.events").gauge().value();
            assertThat(replayed).isEqualTo(clusters.size() * 3.0); // the tail after the snapshot only, not 48

            KafkaLogOptions options = KafkaLogOptions.defaults(KafkaKit.bootstrap(), KeyRing.loadOrCreate(home,
                    List.of(keyFile)), "checker").withTopic(topic, 1, (short) 3, 2);
            try (KafkaLog log = KafkaLog.connect(options)) {
                PartitionCatchUp.Result full = catchUp(log, 0, null);
                assertThat(full.replayed()).isEqualTo(clusters.size() * 8L);
                for (String c : clusters) {
                    assertThat(restarted.registry().list(c)).usingRecursiveComparison()
                            .isEqualTo(full.view().cluster(c).copyAffiliates());
                }
            }
        }
    }

    private DiscoveryServer start(String topic, Path keyFile, Path data) throws Exception {
        Files.createDirectories(data);
        return DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--data-dir=" + data, "--at-rest-key-file=" + keyFile, "--log=kafka", "--snapshot-interval=1s",
                "--kafka-bootstrap=" + KafkaKit.bootstrap(), "--kafka-topic=" + topic, "--kafka-partitions=1",
                "--kafka-group=" + topic + "-group", "--advertise-endpoint=127.0.0.1:1",
                "--instance-id=" + data.getFileName(), "--event-loops=1");
    }

    private static void awaitServing(DiscoveryServer server) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> server.shards().ownership().served().contains(0));
    }

    private static void update(DiscoveryServer server, List<String> clusters, String prefix, int perCluster) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String c : clusters) {
            for (int i = 0; i < perCluster; i++) {
                all.add(server.registry().update(c, prefix + i, (prefix + i).getBytes(StandardCharsets.UTF_8),
                        List.of(), Duration.ofMinutes(20), Runnable::run));
            }
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
    }

    private static PartitionCatchUp.Result catchUp(KafkaLog log, PartitionSnapshots snapshots) {
        return catchUp(log, 1, snapshots);
    }

    private static PartitionCatchUp.Result catchUp(KafkaLog log, int partition, PartitionSnapshots snapshots) {
        try (PartitionLog reader = log.open(partition)) {
            return PartitionCatchUp.run(reader, snapshots);
        }
    }

    private static List<String> clustersOf(int partition, int partitions, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; ids.size() < count; i++) {
            String id = "snapshot-cluster-" + i;
            if (ClusterPartitions.partitionOf(id, partitions) == partition) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** {@code count} events from number {@code from} on: mostly updates, every fifth a delete of an earlier node. */
    private static List<Event> events(List<String> clusters, int from, int count) {
        List<Event> events = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            String cluster = clusters.get(n % clusters.size());
            if (n % 5 == 4) {
                events.add(new Event.AffiliateDeleted(cluster, "node-" + (n / 7) % 9, NOW + n));
            } else {
                events.add(new Event.AffiliateUpdated(cluster, "node-" + n % 9, NOW + n,
                        ("data " + n).getBytes(StandardCharsets.UTF_8), List.of(), NOW + 3_600_000 + n));
            }
        }
        return events;
    }

    private static void append(PartitionLog log, List<Event> events) {
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>();
        for (Event e : events) {
            futures.add(log.append(e));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).join();
    }

    private static boolean anyFileContains(Path root, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (content.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
