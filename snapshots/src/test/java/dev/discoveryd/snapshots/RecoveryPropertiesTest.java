package dev.discoveryd.snapshots;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Decider;
import dev.discoveryd.core.DomainException;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.View;
import dev.discoveryd.core.port.LoadResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restart = load the snapshot + replay the log after its index gives the same view as replaying the whole log, for
 * random histories decided by the core, with incremental snapshots and restarts at random points.
 */
class RecoveryPropertiesTest {
    enum Kind { UPDATE, DELETE, GC, ADVANCE, SNAPSHOT, RESTART }

    record Step(Kind kind, int cluster, int affiliate, byte[] data, List<Integer> endpoints, int seconds) {
        @Override
        public String toString() {
            return kind + "(" + cluster + "," + affiliate + "," + (data == null ? 0 : data.length) + "B," + endpoints
                    + "," + seconds + "s)";
        }
    }

    /** The service as far as snapshots go: the live view, the log, the dirty set and the store. */
    private static final class Service {
        final TestCipher cipher = new TestCipher();
        final Path dir;
        final List<Event> log = new ArrayList<>();
        final DirtyClusters dirty = new DirtyClusters();
        View view = new View();
        final long batchLimit;
        SnapshotStore store;
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        Service(Path dir, long batchLimit) throws IOException {
            this.dir = dir;
            this.batchLimit = batchLimit;
            store = SnapshotStore.open(dir, cipher);
            store.batchLimit(batchLimit);
            assertThat(store.load()).isInstanceOf(LoadResult.Missing.class);
        }

        void apply(Event event) {
            if (event != null) {
                view.evolve(event);
                log.add(event);
                dirty.mark(event.clusterId());
            }
        }

        void step(Step s) throws IOException {
            String cid = "cluster-" + s.cluster();
            String aid = "affiliate-" + s.affiliate();
            try {
                switch (s.kind()) {
                    case UPDATE -> apply(Decider.update(view.cluster(cid), cid, aid, s.data(), endpoints(s.endpoints()),
                            Duration.ofSeconds(s.seconds()), now));
                    case DELETE -> apply(Decider.delete(view.cluster(cid), cid, aid, now));
                    case GC -> new ArrayList<>(view.clusters()).forEach(c -> Decider.expire(c, now).forEach(this::apply));
                    case ADVANCE -> now = now.plusSeconds(s.seconds());
                    case SNAPSHOT -> snapshot();
                    case RESTART -> restart();
                }
            } catch (DomainException refused) {
                // A refused command changes nothing.
            }
        }

        void snapshot() throws IOException {
            List<ClusterState> changed = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (String id : dirty.drain()) {
                ClusterState cluster = view.cluster(id);
                if (cluster == null) {
                    removed.add(id);
                } else {
                    changed.add(Fixtures.copy(cluster));
                }
            }
            if (store.acceptsIncremental()) {
                store.save(Fixtures.at(log.size()), changed, removed);
            } else {
                store.replace(Fixtures.at(log.size()), view.clusters().stream().map(Fixtures::copy).toList());
            }
        }

        /** Restarts from the snapshot and the log tail; the result must equal the view before the restart. */
        void restart() throws IOException {
            store.close();
            store = SnapshotStore.open(dir, cipher);
            store.batchLimit(batchLimit);
            View restored = recover(store.load(), log);
            assertThat(restored).isEqualTo(view);
            view = restored;
        }
    }

    static View recover(LoadResult result, List<Event> log) {
        View view = new View();
        long from = 0;
        if (result instanceof LoadResult.Loaded loaded) {
            view = loaded.view();
            from = loaded.covered().offset(0);
        } else {
            assertThat(result).isInstanceOf(LoadResult.Missing.class);
        }
        log.subList((int) from, log.size()).forEach(view::evolve);
        return view;
    }

    static List<byte[]> endpoints(List<Integer> picks) {
        return picks.stream().map(i -> ("10.0.0." + i + ":51820").getBytes(StandardCharsets.UTF_8)).toList();
    }

    /**
     * Saves through one WriteBatch (the default limit), streamed as a new generation of table files (0), or either
     * by size (200 bytes).
     */
    @Property(tries = 90)
    void snapshotPlusTailEqualsFullReplay(@ForAll("histories") List<Step> history,
                                          @ForAll("batchLimits") long batchLimit) throws IOException {
        Path dir = Files.createTempDirectory("recovery");
        try {
            Service service = new Service(dir.resolve("snapshot"), batchLimit);
            try {
                for (Step step : history) {
                    service.step(step);
                }
            } finally {
                service.store.close();
            }
            View fullReplay = new View();
            service.log.forEach(fullReplay::evolve);
            try (SnapshotStore store = SnapshotStore.open(dir.resolve("snapshot"), service.cipher)) {
                View recovered = recover(store.load(), service.log);
                assertThat(recovered).isEqualTo(fullReplay).isEqualTo(service.view);
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    @Provide
    Arbitrary<Long> batchLimits() {
        return Arbitraries.of(0L, 200L, SnapshotStore.BATCH_LIMIT_BYTES);
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Integer> cluster = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> affiliate = Arbitraries.integers().between(0, 4);
        Arbitrary<Step> update = Combinators.combine(cluster, affiliate,
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(24),
                        Arbitraries.integers().between(0, 5).list().ofMaxSize(3),
                        Arbitraries.integers().between(0, 1800))
                .as((c, a, data, eps, ttl) -> new Step(Kind.UPDATE, c, a, data, eps, ttl));
        Arbitrary<Step> delete = Combinators.combine(cluster, affiliate)
                .as((c, a) -> new Step(Kind.DELETE, c, a, null, List.of(), 0));
        Arbitrary<Step> advance = Arbitraries.integers().between(1, 1200)
                .map(s -> new Step(Kind.ADVANCE, 0, 0, null, List.of(), s));
        return Arbitraries.frequencyOf(
                Tuple.of(10, update),
                Tuple.of(2, delete),
                Tuple.of(2, Arbitraries.just(new Step(Kind.GC, 0, 0, null, List.of(), 0))),
                Tuple.of(3, advance),
                Tuple.of(3, Arbitraries.just(new Step(Kind.SNAPSHOT, 0, 0, null, List.of(), 0))),
                Tuple.of(1, Arbitraries.just(new Step(Kind.RESTART, 0, 0, null, List.of(), 0)))
        ).list().ofMaxSize(80);
    }
}
