package dev.discoveryd.service.scaleout;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.core.port.EventAppender;
import dev.discoveryd.service.metrics.StateMetrics;
import dev.discoveryd.service.state.Caller;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.NoBytesEncoder;
import dev.discoveryd.service.state.NotServedException;
import dev.discoveryd.service.state.QueueLimits;
import dev.discoveryd.service.state.StateListener;
import dev.discoveryd.service.state.WatchSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hand-over of a partition under way while its clusters still have work queued, step by step (no Kafka, no threads,
 * no sleeps): the registry and the partition terms as KafkaShards drives them, over one in-memory partition shared
 * by this instance's two terms and another owner in between. Nothing of an ended term is decided, created, journaled
 * into a later term, or left watching.
 */
class ReleaseRaceTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(30);

    /** The partition as Kafka holds it: every record any owner appended, in order. */
    private final List<Event> partition = new CopyOnWriteArrayList<>();
    private final PartitionTerms terms = new PartitionTerms(clusterId -> 0);
    private final List<String> created = new ArrayList<>();
    private Runnable onCreate = () -> { };
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StateListener listener = StateListener.all(new StateListener() {
        @Override
        public void clusterCreated(String clusterId) {
            created.add(clusterId);
            onCreate.run();
        }
    }, new StateMetrics(meters));
    private final ClusterRegistry registry = new ClusterRegistry(terms, new NoBytesEncoder(), listener,
            Clock.fixed(NOW, ZoneOffset.UTC), QueueLimits.DEFAULTS);
    /** The callers' event loop, run by hand: where a cluster's work resumes after its write. */
    private final ManualLoop loop = new ManualLoop();

    @Test
    void aChangeQueuedAtTheReleaseIsNeitherDecidedOnStaleStateNorJournaledIntoTheNextTerm() {
        HeldWrites firstClaim = new HeldWrites();
        acquire(firstClaim);
        CompletableFuture<Void> inFlight = update("c", "n1");
        CompletableFuture<Void> queued = update("c", "n2"); // behind n1's write, decided when it lands

        release();
        firstClaim.landAll(); // Kafka takes n1 before the hand-over completes: recorded in the first term
        partition.add(updated("c", "n3")); // the next owner serves the cluster for a while
        acquire(event -> appendNow(event)); // and hands it back: this instance's second term
        loop.runAll(); // only now does the first term's cluster work resume

        assertThat(inFlight).isCompleted(); // recorded in its own term: the acknowledgement is true
        assertThat(failure(queued)).isInstanceOf(NotServedException.class);
        assertThat(affiliatesIn(partition)).containsExactly("n1", "n3");
        assertThat(ids(registry.list("c"))).containsExactlyInAnyOrder("n1", "n3"); // memory equals the partition
    }

    @Test
    void whileATermIsLoadingNoClusterIsCreatedAndTheEndedTermJournalsNothing() {
        acquire(event -> appendNow(event));
        PartitionTerm first = (PartitionTerm) terms.admit("c");
        PartitionTerm second = terms.begin(0, event -> appendNow(event)); // taken over again, still replaying
        assertThat(second.number()).isGreaterThan(first.number());
        assertThat(first.current()).isFalse();

        assertThat(failure(update("c", "n1"))).isInstanceOf(NotServedException.class);
        assertThat(failure(first.journal().append(updated("c", "n2")))).isNotNull();
        assertThat(first.journal().appendAll(List.of(updated("c", "n3"), updated("c", "n4"))))
                .allSatisfy(write -> assertThat(failure(write)).isNotNull());
        assertThat(registry.clusterCount()).isZero();
        assertThat(partition).isEmpty();
    }

    @Test
    void aClusterCreatedWhileItsTermEndsIsDroppedAndItsWatcherEnded() {
        acquire(event -> appendNow(event));
        onCreate = this::release; // the release scans the registry just before the new cluster is in it
        RecordingSink watcher = new RecordingSink();

        assertThat(catching(() -> registry.watch("c", watcher))).isInstanceOf(NotServedException.class);
        assertThat(created).containsExactly("c");
        assertThat(registry.clusterCount()).isZero();
        onCreate = () -> { };
        assertThat(catching(() -> registry.list("c"))).isInstanceOf(NotServedException.class);
        assertThat(registry.clusterCount()).isZero(); // refused without creating state
        assertThat(watcher.closed).isEmpty(); // never subscribed, so nothing to end either
    }

    @Test
    void watchersOfAReleasedPartitionEndAndAWatchOpenedLateIsRefused() {
        acquire(event -> appendNow(event));
        RecordingSink early = new RecordingSink();
        registry.watch("c", early);

        release();

        assertThat(early.closed).hasSize(1);
        assertThat(catching(() -> registry.watch("c", new RecordingSink()))).isInstanceOf(NotServedException.class);
        assertThat(registry.update("c", "n1", null, List.of(), TTL, Caller.patient(loop)))
                .isCompletedExceptionally();
        assertThat(registry.clusterCount()).isZero();
        assertThat(partition).isEmpty();
    }

    @Test
    void theStateMetersFollowThePartitionAsItComesAndGoes() {
        partition.addAll(List.of(updated("c", "n1"), updated("c", "n2"), updated("d", "n3")));
        acquire(event -> appendNow(event));
        assertThat(gauge("discovery.state.affiliates")).isEqualTo(3);
        assertThat(gauge("discovery.state.clusters")).isEqualTo(2);
        assertThat(update("c", "n4")).isCompleted();
        assertThat(gauge("discovery.state.affiliates")).isEqualTo(4);

        release();
        assertThat(gauge("discovery.state.affiliates")).isZero();
        assertThat(gauge("discovery.state.clusters")).isZero();
        assertThat(meters.get("discovery.state.gc.clusters").counter().count()).as("a hand-over is not collection")
                .isZero();

        acquire(event -> appendNow(event)); // back again: n4 is in the partition now
        assertThat(gauge("discovery.state.affiliates")).isEqualTo(4);
        assertThat(gauge("discovery.state.clusters")).isEqualTo(2);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    /** What KafkaShards.acquired does: a new term, the partition replayed into it, then open. */
    private void acquire(EventAppender claimedLog) {
        registry.release(id -> true, "cluster state is being reloaded");
        PartitionTerm term = terms.begin(0, claimedLog);
        View view = new View();
        partition.forEach(view::evolve);
        registry.load(view, LogPosition.of(partition.size()), term);
        term.open();
    }

    /** What KafkaShards.released does. */
    private void release() {
        terms.end(0);
        registry.release(id -> true, "this cluster moved to another discoveryd instance; reconnect");
    }

    private CompletableFuture<Void> update(String cluster, String node) {
        return registry.update(cluster, node, new byte[]{1}, List.of(), TTL, Caller.patient(loop));
    }

    private CompletableFuture<LogPosition> appendNow(Event event) {
        partition.add(event);
        return CompletableFuture.completedFuture(LogPosition.of(partition.size()));
    }

    private static Event updated(String cluster, String node) {
        return new Event.AffiliateUpdated(cluster, node, NOW.toEpochMilli(), new byte[]{1}, List.of(),
                NOW.plus(TTL).toEpochMilli());
    }

    private static List<String> affiliatesIn(List<Event> events) {
        return events.stream().map(Event::affiliateId).toList();
    }

    private static List<String> ids(List<Affiliate> affiliates) {
        return affiliates.stream().map(Affiliate::id).toList();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return catching(future::join).getCause();
    }

    private static Throwable catching(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** A claimed partition log whose writes land when the test says (Kafka acknowledging late). */
    private final class HeldWrites implements EventAppender {
        private final List<Event> events = new ArrayList<>();
        private final List<CompletableFuture<LogPosition>> futures = new ArrayList<>();

        @Override
        public CompletableFuture<LogPosition> append(Event event) {
            CompletableFuture<LogPosition> future = new CompletableFuture<>();
            events.add(event);
            futures.add(future);
            return future;
        }

        void landAll() {
            for (int i = 0; i < events.size(); i++) {
                partition.add(events.get(i));
                futures.get(i).complete(LogPosition.of(partition.size()));
            }
            events.clear();
            futures.clear();
        }
    }

    private static final class ManualLoop implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }

    private static final class RecordingSink implements WatchSink {
        final List<String> closed = new ArrayList<>();

        @Override
        public void send(byte[] message) {
        }

        @Override
        public void close(String reason) {
            closed.add(reason);
        }
    }
}
