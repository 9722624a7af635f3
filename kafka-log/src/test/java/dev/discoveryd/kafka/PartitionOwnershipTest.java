package dev.discoveryd.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.TestEvents;
import dev.discoveryd.core.port.EventLogContract;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances in one group over a four-partition log: the group splits the partitions, each instance routes a
 * cluster it does not own to the other's endpoint, and when one leaves the other takes everything over, having
 * replayed what the first wrote, within a measured time.
 */
@Tag("slow")
@ExtendWith(KafkaKit.class)
class PartitionOwnershipTest {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** An instance's view of its partitions: what its listener was given, replayed event counts. */
    private static final class Instance implements PartitionOwnership.Listener {
        final Map<Integer, Integer> replayed = new ConcurrentHashMap<>();
        final Set<Integer> released = ConcurrentHashMap.newKeySet();

        @Override
        public void acquired(PartitionLog log) {
            int[] count = {0};
            log.replay(LogPosition.START, (p, e) -> count[0]++);
            replayed.put(log.partition(), count[0]);
        }

        @Override
        public void released(int partition) {
            released.add(partition);
            replayed.remove(partition);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void theGroupSplitsPartitionsAndTheSurvivorTakesOverWhatItsPeerWrote() throws Exception {
        KafkaLogOptions base = KafkaTestLogs.fresh("owners", 4, Clock.systemUTC());
        String group = base.topic() + "-group";
        KafkaLog logA = track(KafkaLog.connect(base.withOwner("a")));
        KafkaLog logB = track(KafkaLog.connect(base.withOwner("b")));
        Instance a = new Instance();
        Instance b = new Instance();
        PartitionOwnership ownerA = track(new PartitionOwnership(logA, group, "a.example:443", a));
        ownerA.start();
        await("A serves all four partitions alone", () -> ownerA.served().size() == 4);
        PartitionOwnership ownerB = new PartitionOwnership(logB, group, "b.example:443", b);
        ownerB.start();
        await("the group splits the partitions between A and B", () -> ownerA.served().size() + ownerB.served().size() == 4
                && !ownerA.served().isEmpty() && !ownerB.served().isEmpty());
        Set<Integer> both = new HashSet<>(ownerA.served());
        both.retainAll(ownerB.served());
        assertThat(both).isEmpty();

        // Clusters of every partition: each instance writes those it owns and redirects the others to its peer.
        Map<Integer, String> clusterOf = new ConcurrentHashMap<>();
        for (int i = 0; clusterOf.size() < 4; i++) {
            clusterOf.putIfAbsent(logA.partitionOf("c" + i), "c" + i);
        }
        TestEvents events = new TestEvents(3);
        int written = 0;
        for (int p = 0; p < 4; p++) {
            String cluster = clusterOf.get(p);
            PartitionOwnership owner = ownerA.served().contains(p) ? ownerA : ownerB;
            PartitionOwnership other = owner == ownerA ? ownerB : ownerA;
            String ownerEndpoint = owner == ownerA ? "a.example:443" : "b.example:443";
            assertThat(owner.route(cluster)).isInstanceOf(PartitionOwnership.Route.Serve.class);
            await("the non-owner redirects partition " + p, () -> other.route(cluster)
                    .equals(new PartitionOwnership.Route.Redirect(ownerEndpoint)));
            PartitionLog log = ((PartitionOwnership.Route.Serve) owner.route(cluster)).log();
            EventLogContract.appendAll(log, events.next(3));
            written += 3;
        }
        assertThat(ownerA.redirects() + ownerB.redirects()).isGreaterThanOrEqualTo(4);

        Set<Integer> ofB = ownerB.served();
        long left = System.nanoTime();
        ownerB.close();
        assertThat(b.released).containsAll(ofB);
        await("A takes B's partitions over", () -> ownerA.served().size() == 4);
        long takeOverMillis = (System.nanoTime() - left) / 1_000_000;
        System.out.println("take-over after a graceful leave: " + takeOverMillis + " ms");
        // A replayed each taken partition to its end, including what B had written there.
        int total = a.replayed.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(a.replayed).hasSize(4);
        for (int p : ofB) {
            assertThat(a.replayed.get(p)).isEqualTo(3);
        }
        assertThat(total).isLessThanOrEqualTo(written);
        for (int p = 0; p < 4; p++) {
            assertThat(ownerA.route(clusterOf.get(p))).isInstanceOf(PartitionOwnership.Route.Serve.class);
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        opened.add(c);
        return c;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
