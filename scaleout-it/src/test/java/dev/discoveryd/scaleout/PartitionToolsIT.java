package dev.discoveryd.scaleout;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.kafka.ClusterPartitions;
import dev.discoveryd.kafka.KafkaKit;
import dev.discoveryd.kafka.KafkaLog;
import dev.discoveryd.kafka.KafkaLogOptions;
import dev.discoveryd.kafka.PartitionLog;
import dev.discoveryd.service.cli.CliRun;
import dev.discoveryd.service.persistence.KeyRingCipher;
import dev.discoveryd.service.scaleout.PartitionSnapshots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code log verify}, {@code log dump} and {@code replay} on one partition of the replicated log, against the kit. */
@ExtendWith(KafkaKit.class)
class PartitionToolsIT {
    private static final long NOW = 1_780_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void verifyDumpAndReplayReadOnePartitionAndFindTampering() throws Exception {
        Path keyFile = dir.resolve("at-rest.keys");
        Files.writeString(keyFile, KeyRing.newKeyLine(1) + "\n");
        KeyRing keys = KeyRing.loadOrCreate(dir, List.of(keyFile));
        Path data = Files.createDirectories(dir.resolve("data"));
        KafkaLogOptions options = KafkaLogOptions.defaults(KafkaKit.bootstrap(), keys, "tools-it")
                .withTopic(KafkaKit.freshTopic("tools"), 2, (short) 3, 2).withRequestTimeout(Duration.ofSeconds(20));
        String cluster = clusterOf(1);
        String other = clusterOf(1, cluster);
        try (KafkaLog log = KafkaLog.connect(options); PartitionLog partition = log.open(1)) {
            partition.claimOwnership();
            List<LogPosition> at = append(partition, List.of(update(cluster, "node-a", 1), update(cluster, "node-b", 2),
                    update(other, "node-c", 3), new Event.AffiliateDeleted(cluster, "node-b", NOW + 4)));
            String[] source = {"--log=kafka", "--kafka-bootstrap=" + KafkaKit.bootstrap(),
                    "--kafka-topic=" + options.topic(), "--partition=1", "--data-dir=" + data,
                    "--at-rest-key-file=" + keyFile};

            CliRun verify = cli("log verify", source);
            assertThat(verify.code()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains("ok: partition 1 of " + options.topic() + ": 4 events at offsets "
                    + at.get(0).offset(1) + ".." + at.get(3).offset(1));

            CliRun dump = cli("log dump", source, "--cluster=" + cluster);
            assertThat(dump.code()).as(dump.toString()).isZero();
            List<String> lines = dump.out().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).contains("\"index\":" + at.get(0).offset(1)).contains("\"type\":\"update\"")
                    .contains("\"affiliate\":\"node-a\"");
            assertThat(lines.get(2)).contains("\"index\":" + at.get(3).offset(1)).contains("\"type\":\"delete\"");

            CliRun replay = cli("replay", source, "--cluster=" + cluster);
            assertThat(replay.code()).as(replay.toString()).isZero();
            assertThat(replay.out()).contains(cluster).contains("node-a").doesNotContain("node-b")
                    .doesNotContain("node-c");

            // A snapshot here that covers more than the partition holds: records were cut off the end.
            PartitionSnapshots snapshots = new PartitionSnapshots(data, options.topic(), new KeyRingCipher(keys));
            snapshots.save(1, LogPosition.START.advance(1, 10_000), List.of());
            CliRun cut = cli("log verify", source);
            assertThat(cut.code()).as(cut.toString()).isEqualTo(1);
            assertThat(cut.out()).contains("BAD").contains("covers offset 10000");
            deleteRecursively(snapshots.dir(1));

            long forged = forge(options.topic(), 1);
            append(partition, List.of(update(cluster, "node-d", 5)));
            CliRun tampered = cli("log verify", source);
            assertThat(tampered.code()).as(tampered.toString()).isEqualTo(1);
            assertThat(tampered.out()).contains("BAD partition 1").contains("offset " + forged);
            CliRun cutShort = cli("log dump", source);
            assertThat(cutShort.code()).isEqualTo(1);
            assertThat(cutShort.out().lines().toList()).hasSize(5).last().asString().contains("\"error\"");
        }
    }

    /** One in-process run of the service's CLI: the command ("log verify"), the partition's flags, then the rest. */
    private static CliRun cli(String command, String[] source, String... rest) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of(source));
        args.addAll(List.of(rest));
        return CliRun.run(args.toArray(new String[0]));
    }

    /** A record written behind the log's back (no key, no chain), as an intruder with broker access could. */
    private static long forge(String topic, int partition) throws Exception {
        try (KafkaProducer<byte[], byte[]> intruder = new KafkaProducer<>(java.util.Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaKit.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            return intruder.send(new ProducerRecord<>(topic, partition, null, new byte[120]))
                    .get(30, TimeUnit.SECONDS).offset();
        }
    }

    private static Event update(String cluster, String node, int n) {
        return new Event.AffiliateUpdated(cluster, node, NOW + n, ("data " + n).getBytes(StandardCharsets.UTF_8),
                List.of(), NOW + 3_600_000);
    }

    private static List<LogPosition> append(PartitionLog log, List<Event> events) {
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>();
        for (Event e : events) {
            futures.add(log.append(e));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static String clusterOf(int partition, String... not) {
        for (int i = 0; ; i++) {
            String id = "tools-cluster-" + i;
            if (ClusterPartitions.partitionOf(id, 2) == partition && !List.of(not).contains(id)) {
                return id;
            }
        }
    }

    private static void deleteRecursively(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
