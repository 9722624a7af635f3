package dev.discoveryd.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.kafka.ClusterPartitions;
import dev.discoveryd.kafka.KafkaKit;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three discoveryd processes over the Kafka kit under concurrent update load; one is SIGKILLed. Every update that was
 * acknowledged before, during or after the kill is still there afterwards, served by whichever instance owns its
 * cluster then, and the killed instance's clusters take updates again within a measured time (its group session,
 * 6 s here, plus the take-over).
 */
@Tag("slow")
@ExtendWith(KafkaKit.class)
class InstanceKillIT {
    private static final int PARTITIONS = 6;
    private static final int CLUSTERS = 12;
    private static final Map<String, String> LAST_REFUSAL = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    private final List<ServiceProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (ServiceProcess p : processes) {
            p.close();
        }
    }

    @Test
    void aKilledInstanceLosesNoAcknowledgedUpdate() throws Exception {
        Path keys = dir.resolve("at-rest.keys");
        Files.writeString(keys, KeyRing.newKeyLine(1) + "\n");
        String topic = KafkaKit.freshTopic("kill");
        for (int i = 0; i < 3; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path data = Files.createDirectories(dir.resolve("instance-" + i));
            processes.add(ServiceProcess.start(port, Path.of("target", "kill-instance-" + i + ".log"), List.of(
                    "--data-dir=" + data, "--at-rest-key-file=" + keys, "--log=kafka",
                    "--kafka-bootstrap=" + KafkaKit.bootstrap(), "--kafka-topic=" + topic,
                    "--kafka-partitions=" + PARTITIONS, "--kafka-group=" + topic + "-group",
                    "--advertise-endpoint=127.0.0.1:" + port, "--instance-id=instance-" + i, "--event-loops=1")));
        }
        List<String> clusters = new ArrayList<>();
        for (int i = 0; clusters.size() < CLUSTERS; i++) {
            String c = "kill-cluster-" + i;
            if (ClusterPartitions.partitionOf(c, PARTITIONS) == clusters.size() % PARTITIONS) {
                clusters.add(c);
            }
        }
        List<String> live = new CopyOnWriteArrayList<>(processes.stream().map(p -> p.endpoint).toList());
        Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
        try (RawClient raw = new RawClient()) {
            waitUntil("every instance agrees on every cluster's owner", Duration.ofSeconds(120), () -> {
                for (String c : clusters) {
                    Set<String> owners = live.stream().map(e -> raw.ownerVia(e, c)).collect(Collectors.toSet());
                    if (owners.size() != 1 || owners.contains(null)) {
                        return false;
                    }
                }
                return true;
            });
            String victimCluster = clusters.get(0);
            String victim = raw.ownerVia(live.get(0), victimCluster);
            Set<String> victimsClusters = clusters.stream().filter(c -> victim.equals(raw.ownerVia(live.get(0), c)))
                    .collect(Collectors.toSet());

            AtomicLong killedAt = new AtomicLong();
            Map<String, Long> firstAckAfterKill = new ConcurrentHashMap<>();
            long stopAt = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            List<Thread> writers = new ArrayList<>();
            for (String cluster : clusters) {
                Thread t = new Thread(() -> write(raw, cluster, live, acknowledged, killedAt, firstAckAfterKill,
                        stopAt, clusters.size()));
                t.start();
                writers.add(t);
            }
            Thread.sleep(3000);
            ServiceProcess victimProcess = processes.stream().filter(p -> p.endpoint.equals(victim)).findFirst()
                    .orElseThrow();
            live.remove(victim);
            killedAt.set(System.nanoTime());
            victimProcess.kill();
            for (Thread t : writers) {
                t.join(Duration.ofSeconds(120).toMillis());
            }
            assertThat(firstAckAfterKill.keySet()).as("clusters acknowledged after the kill; last refusals: %s",
                    LAST_REFUSAL).containsAll(clusters);
            long worst = victimsClusters.stream().mapToLong(c -> firstAckAfterKill.get(c) - killedAt.get()).max()
                    .orElseThrow() / 1_000_000;
            System.out.println("killed instance's " + victimsClusters.size() + " clusters took updates again after "
                    + worst + " ms; " + acknowledged.values().stream().mapToInt(Set::size).sum()
                    + " updates acknowledged in all");

            for (String cluster : clusters) {
                String owner = raw.ownerVia(live.get(0), cluster);
                Set<String> listed = raw.list(owner, cluster).reply().getAffiliatesList().stream()
                        .map(Affiliate::getId).collect(Collectors.toSet());
                assertThat(listed).as("acknowledged affiliates of %s at its owner %s", cluster, owner)
                        .containsAll(acknowledged.getOrDefault(cluster, Set.of()));
            }
        }
    }

    /** One cluster's writer: new affiliates one after another at the cluster's owner, found again when it fails. */
    private static void write(RawClient raw, String cluster, List<String> live, Map<String, Set<String>> acked,
                              AtomicLong killedAt, Map<String, Long> firstAckAfterKill, long stopAt, int clusters) {
        String owner = null;
        int n = 0;
        while (System.nanoTime() < stopAt) {
            long killed = killedAt.get();
            if (killed != 0 && firstAckAfterKill.size() == clusters
                    && System.nanoTime() - killed > Duration.ofSeconds(2).toNanos()) {
                return;
            }
            if (owner == null) {
                owner = raw.ownerVia(live.get(ThreadLocalRandom.current().nextInt(live.size())), cluster);
                if (owner == null) {
                    pause();
                    continue;
                }
            }
            String affiliate = "affiliate-" + n;
            RawClient.Result<?> result = raw.update(owner, cluster, affiliate);
            if (!result.ok()) {
                LAST_REFUSAL.put(cluster, owner + ": " + result.status() + " " + result.message());
            }
            if (result.ok()) {
                long now = System.nanoTime();
                acked.computeIfAbsent(cluster, c -> ConcurrentHashMap.newKeySet()).add(affiliate);
                if (killed != 0 && now > killed) {
                    firstAckAfterKill.putIfAbsent(cluster, now);
                }
                n++;
                // At most 50 affiliates per cluster: the later updates rewrite them (the limit is per cluster).
                if (n == 50) {
                    n = 0;
                }
            } else {
                owner = null;
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().alias(what).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(condition);
    }
}
