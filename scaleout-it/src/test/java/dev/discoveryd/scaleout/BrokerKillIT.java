package dev.discoveryd.scaleout;

import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.kafka.ClusterPartitions;
import dev.discoveryd.kafka.KafkaLog;
import dev.discoveryd.kafka.KafkaLogOptions;
import dev.discoveryd.kafka.PartitionLog;
import dev.discoveryd.service.DiscoveryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka broker SIGKILLed under concurrent update load: three brokers and their controller as processes of their
 * own, a discoveryd instance writing to a topic with replication factor 3 and min.insync.replicas 2. No acknowledged
 * update is lost (the instance still lists it, a fresh replay of the partitions has it), and the write stall until
 * the dead broker is fenced is measured.
 */
@Tag("slow")
class BrokerKillIT {
    private static final int PARTITIONS = 3;
    private static final int CLUSTERS = 6;

    @TempDir
    Path dir;

    @Test
    void aKilledBrokerLosesNoAcknowledgedUpdate() throws Exception {
        Path keyFile = dir.resolve("at-rest.keys");
        Files.writeString(keyFile, KeyRing.newKeyLine(1) + "\n");
        Path data = Files.createDirectories(dir.resolve("instance"));
        String topic = "broker-kill";
        List<String> clusters = new ArrayList<>();
        for (int i = 0; clusters.size() < CLUSTERS; i++) {
            if (ClusterPartitions.partitionOf("bk-" + i, PARTITIONS) == clusters.size() % PARTITIONS) {
                clusters.add("bk-" + i);
            }
        }
        Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> ackTimes = new ConcurrentLinkedQueue<>();
        AtomicLong killedAt = new AtomicLong();
        Map<String, Long> firstAckAfterKill = new ConcurrentHashMap<>();
        try (KafkaProcesses kafka = KafkaProcesses.start(dir.resolve("kafka"), 3)) {
            try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=",
                    "--metrics-addr=", "--data-dir=" + data, "--at-rest-key-file=" + keyFile, "--log=kafka",
                    "--kafka-bootstrap=" + kafka.bootstrap(), "--kafka-topic=" + topic,
                    "--kafka-partitions=" + PARTITIONS, "--kafka-group=" + topic + "-group",
                    "--advertise-endpoint=127.0.0.1:1", "--instance-id=bk", "--event-loops=1",
                    "--ip-rate-limit=0"); RawClient raw = new RawClient()) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> server.shards().ownership().served().size() == PARTITIONS);
                String endpoint = "127.0.0.1:" + server.grpcPort();
                int victim;
                try (Admin admin = kafka.admin()) {
                    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                            .get(topic);
                    victim = d.partitions().get(0).leader().id(); // leads at least one partition of the log
                }
                long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
                List<Thread> writers = new ArrayList<>();
                for (String cluster : clusters) {
                    Thread t = new Thread(() -> {
                        int n = 0;
                        while (System.nanoTime() < stopAt) {
                            long killed = killedAt.get();
                            if (killed != 0 && firstAckAfterKill.size() == clusters.size()
                                    && System.nanoTime() - killed > TimeUnit.SECONDS.toNanos(3)) {
                                return;
                            }
                            String affiliate = "affiliate-" + n;
                            if (raw.update(endpoint, cluster, affiliate).ok()) {
                                long now = System.nanoTime();
                                ackTimes.add(now);
                                acknowledged.computeIfAbsent(cluster, c -> ConcurrentHashMap.newKeySet())
                                        .add(affiliate);
                                if (killed != 0) {
                                    firstAckAfterKill.putIfAbsent(cluster, now);
                                }
                                n = (n + 1) % 50; // the per-cluster limit: later updates rewrite the same 50
                            } else {
                                pause();
                            }
                        }
                    }, "writer-" + cluster);
                    t.start();
                    writers.add(t);
                }
                Thread.sleep(3000);
                killedAt.set(System.nanoTime());
                kafka.kill(victim);
                for (Thread t : writers) {
                    t.join(TimeUnit.SECONDS.toMillis(120));
                }

                assertThat(firstAckAfterKill.keySet()).as("clusters that took updates again after the kill")
                        .containsAll(clusters);
                long killed = killedAt.get();
                long worstCluster = firstAckAfterKill.values().stream().mapToLong(t -> t - killed).max()
                        .orElseThrow() / 1_000_000;
                System.out.println("broker " + victim + " SIGKILLed: every cluster took updates again within "
                        + worstCluster + " ms (longest time without any acknowledgement: "
                        + longestGap(ackTimes, killed) + " ms); "
                        + acknowledged.values().stream().mapToInt(Set::size).sum() + " affiliates acknowledged");

                for (String cluster : clusters) {
                    Set<String> listed = raw.list(endpoint, cluster).reply().getAffiliatesList().stream()
                            .map(Affiliate::getId).collect(Collectors.toSet());
                    assertThat(listed).as("acknowledged affiliates of %s, as the instance lists them", cluster)
                            .containsAll(acknowledged.get(cluster));
                }
            }
            View replayed = replay(kafka.bootstrap(), topic, KeyRing.loadOrCreate(data, List.of(keyFile)));
            for (String cluster : clusters) {
                ClusterState state = replayed.cluster(cluster);
                assertThat(state).as("cluster %s in a fresh replay of the log", cluster).isNotNull();
                Set<String> inLog = state.copyAffiliates().stream().map(dev.discoveryd.core.Affiliate::id)
                        .collect(Collectors.toSet());
                assertThat(inLog).as("acknowledged affiliates of %s in a fresh replay", cluster)
                        .containsAll(acknowledged.get(cluster));
            }
        }
    }

    /** The longest interval from the kill on in which no update at all was acknowledged, in ms. */
    private static long longestGap(ConcurrentLinkedQueue<Long> ackTimes, long killed) {
        List<Long> after = ackTimes.stream().filter(t -> t >= killed).sorted().toList();
        long previous = killed;
        long worst = 0;
        for (long t : after) {
            worst = Math.max(worst, t - previous);
            previous = t;
        }
        return worst / 1_000_000;
    }

    private static View replay(String bootstrap, String topic, KeyRing keys) {
        View view = new View();
        KafkaLogOptions options = KafkaLogOptions.defaults(bootstrap, keys, "checker")
                .withTopic(topic, PARTITIONS, (short) 3, 2).withRequestTimeout(Duration.ofSeconds(20));
        try (KafkaLog log = KafkaLog.connect(options)) {
            for (int p = 0; p < PARTITIONS; p++) {
                try (PartitionLog partition = log.open(p)) {
                    partition.replay(LogPosition.START, (position, event) -> view.evolve(event));
                }
            }
        }
        return view;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
