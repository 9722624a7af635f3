package dev.discoveryd.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.kafka.ClusterPartitions;
import dev.discoveryd.kafka.KafkaKit;
import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeId;
import dev.discoveryd.nodeclient.state.Backoff;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.grpc.Routing;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three discoveryd instances sharing six partitions of a log on the in-process Kafka kit (1 controller + 3 brokers),
 * with real node clients: a client that says Hello to any instance ends on its cluster's owner, non-owners keep no
 * state of it, and when the owner leaves another instance replays its partitions and serves every acknowledged
 * update, to clients that converge on it.
 */
@ExtendWith(KafkaKit.class)
class ScaleOutIT {
    private static final int PARTITIONS = 6;
    private static final ClusterSecret SECRET = ClusterSecret.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

    @TempDir
    Path dir;

    private final List<DiscoveryServer> servers = new ArrayList<>();
    private final List<DiscoveryClient> clients = new ArrayList<>();

    @AfterEach
    void stopAll() {
        clients.forEach(DiscoveryClient::close);
        servers.forEach(DiscoveryServer::close);
    }

    @Test
    void helloToAnyInstanceEndsOnTheOwnerAndAnOwnersClustersOutliveIt() throws Exception {
        Path keys = dir.resolve("at-rest.keys");
        Files.writeString(keys, KeyRing.newKeyLine(1) + "\n");
        String topic = KafkaKit.freshTopic("scaleout");
        for (int i = 0; i < 3; i++) {
            servers.add(start(i, freePort(), topic, keys));
        }
        waitUntil("every partition served by exactly one instance, known to all", Duration.ofSeconds(90), () -> {
            Set<Integer> served = new HashSet<>();
            int total = 0;
            for (DiscoveryServer s : servers) {
                if (s.shards().notReady() != null) {
                    return false;
                }
                served.addAll(s.shards().ownership().served());
                total += s.shards().ownership().served().size();
            }
            return served.size() == PARTITIONS && total == PARTITIONS && everyoneKnowsEveryOwner();
        });

        // One cluster per instance; its clients start at an instance that does not own it.
        List<String> clusters = new ArrayList<>();
        for (DiscoveryServer owner : servers) {
            String cluster = clusterOwnedBy(owner);
            clusters.add(cluster);
            DiscoveryServer entry = servers.get((servers.indexOf(owner) + 1) % servers.size());
            connect(entry, cluster, "a");
            connect(entry, cluster, "b");
        }
        for (int i = 0; i < clusters.size(); i++) {
            String cluster = clusters.get(i);
            DiscoveryServer owner = servers.get(i);
            waitUntil("both clients of " + cluster + " publish to its owner", Duration.ofSeconds(30),
                    () -> owner.registry().list(cluster).size() == 2);
            for (DiscoveryServer other : servers) {
                if (other != owner) {
                    assertThat(other.registry().clusterIds()).doesNotContain(cluster);
                }
            }
        }
        waitUntil("the clients see each other through the owners", Duration.ofSeconds(30),
                () -> clients.stream().allMatch(c -> c.affiliates().size() == 1));

        // A non-owner refuses the other RPCs with UNAVAILABLE naming the owner, and keeps nothing of the cluster.
        try (RawClient raw = new RawClient()) {
            String cluster = clusters.get(1);
            String ownerEndpoint = "127.0.0.1:" + servers.get(1).grpcPort();
            String nonOwner = "127.0.0.1:" + servers.get(2).grpcPort();
            assertThat(raw.ownerVia(nonOwner, cluster)).isEqualTo(ownerEndpoint);
            for (RawClient.Result<?> refused : List.of(raw.update(nonOwner, cluster, "stray"),
                    raw.list(nonOwner, cluster))) {
                assertThat(refused.status()).isEqualTo(io.vertx.grpc.common.GrpcStatus.UNAVAILABLE);
                assertThat(refused.message()).contains(ownerEndpoint);
            }
            assertThat(servers.get(2).registry().clusterIds()).doesNotContain(cluster);
            assertThat(raw.list(ownerEndpoint, cluster).reply().getAffiliatesCount()).isEqualTo(2);
        }

        // The first owner leaves. Its clients stop first: what the new owner shows then comes from the log alone.
        String moved = clusters.get(0);
        DiscoveryServer leaving = servers.get(0);
        for (DiscoveryClient c : clients.subList(0, 2)) {
            c.close();
        }
        long left = System.nanoTime();
        leaving.close();
        servers.remove(leaving);
        waitUntil("another instance serves " + moved + " with both acknowledged affiliates", Duration.ofSeconds(60),
                () -> servers.stream().anyMatch(s -> s.shards().route(moved) == Routing.Route.LOCAL
                        && s.registry().list(moved).size() == 2)); // list refuses a cluster not served there
        long takeOverMillis = (System.nanoTime() - left) / 1_000_000;
        System.out.println("clusters of a leaving instance served elsewhere after " + takeOverMillis + " ms");

        // Clients of the other clusters were not disturbed; a new client of the moved cluster converges on its new owner.
        DiscoveryServer newOwner = servers.stream().filter(s -> s.shards().route(moved) == Routing.Route.LOCAL)
                .findFirst().orElseThrow();
        DiscoveryServer entry = servers.stream().filter(s -> s != newOwner).findFirst().orElseThrow();
        DiscoveryClient late = connect(entry, moved, "c");
        waitUntil("a new client sees the moved cluster's affiliates", Duration.ofSeconds(30),
                () -> late.affiliates().size() == 2);
        assertThat(entry.registry().clusterIds()).doesNotContain(moved);
    }

    private boolean everyoneKnowsEveryOwner() {
        for (int p = 0; p < PARTITIONS; p++) {
            String cluster = clusterIn(p);
            for (DiscoveryServer s : servers) {
                if (s.shards().route(cluster) instanceof Routing.Route.HandOver) {
                    return false;
                }
            }
        }
        return true;
    }

    private String clusterOwnedBy(DiscoveryServer owner) {
        int partition = owner.shards().ownership().served().iterator().next();
        return clusterIn(partition);
    }

    private static String clusterIn(int partition) {
        for (int i = 0; ; i++) {
            String cluster = "scaleout-cluster-" + i;
            if (ClusterPartitions.partitionOf(cluster, PARTITIONS) == partition) {
                return cluster;
            }
        }
    }

    private DiscoveryClient connect(DiscoveryServer entry, String cluster, String name) throws Exception {
        String id = NodeId.generate();
        DiscoveryClient client = DiscoveryClient.create(new DiscoveryClientOptions()
                .addEndpoint("http://127.0.0.1:" + entry.grpcPort())
                .setClusterId(cluster)
                .setClusterSecret(SECRET)
                .setAffiliateId(id)
                .setTtl(Duration.ofMinutes(30))
                .setHelloTimeout(Duration.ofSeconds(5))
                .setBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1))));
        clients.add(client);
        client.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        client.setLocalAffiliate(new AffiliateInfo(id, name, name, "worker", "Talos (v1.11.0)",
                List.of(IpText.parse("192.0.2.1")), null, 6443), List.of());
        return client;
    }

    private DiscoveryServer start(int n, int port, String topic, Path keys) throws Exception {
        Path data = Files.createDirectories(dir.resolve("instance-" + n));
        return DiscoveryServer.start("--addr=127.0.0.1:" + port, "--landing-addr=", "--metrics-addr=",
                "--gc-interval=1s", "--data-dir=" + data, "--at-rest-key-file=" + keys, "--log=kafka",
                "--kafka-bootstrap=" + KafkaKit.bootstrap(), "--kafka-topic=" + topic,
                "--kafka-partitions=" + PARTITIONS, "--kafka-group=" + topic + "-group",
                "--advertise-endpoint=127.0.0.1:" + port, "--instance-id=instance-" + n, "--event-loops=1");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void waitUntil(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) {
        await().alias(what).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .ignoreException(dev.discoveryd.service.state.NotServedException.class).until(condition);
    }
}
