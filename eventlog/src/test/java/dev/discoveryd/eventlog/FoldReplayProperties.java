package dev.discoveryd.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.crypto.KeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random event sequences folded live (as acknowledged) equal the view replayed from the log after a restart. */
class FoldReplayProperties {
    private static final KeyRing KEYS = KeyRing.generate(1);

    @Property(tries = 25)
    void liveFoldEqualsReplayedView(@ForAll("sequences") List<Event> events) throws IOException {
        Path dataDir = Files.createTempDirectory("fold-replay");
        try {
            View live = new View();
            try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dataDir, KEYS))) {
                for (Event e : events) {
                    log.append(e).join();
                    live.evolve(e);
                }
            }
            View replayed = new View();
            try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dataDir, KEYS))) {
                log.replay(LogPosition.START, (i, e) -> replayed.evolve(e));
            }
            assertThat(replayed).isEqualTo(live);
        } finally {
            QueueSurgery.deleteTree(dataDir);
        }
    }

    @Provide
    Arbitrary<List<Event>> sequences() {
        Arbitrary<String> clusters = Arbitraries.of("c1", "c2", "c3");
        Arbitrary<String> affiliates = Arbitraries.of("a1", "a2", "a3", "a4");
        Arbitrary<Long> times = Arbitraries.longs().between(1_000, 100_000);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.3);
        Arbitrary<List<byte[]>> endpoints = Arbitraries.of(new byte[] {1}, new byte[] {2, 2}, new byte[] {3, 3, 3},
                new byte[] {4}).list().ofMaxSize(3);
        Arbitrary<Event> update = Combinators.combine(clusters, affiliates, times, data, endpoints,
                        Arbitraries.longs().between(0, 50_000))
                .as((c, a, t, d, eps, ttl) -> new Event.AffiliateUpdated(c, a, t, d, eps, t + ttl));
        Arbitrary<Event> delete = Combinators.combine(clusters, affiliates, times).as(Event.AffiliateDeleted::new);
        Arbitrary<Event> expire = Combinators.combine(clusters, affiliates, times).as(Event.AffiliateExpired::new);
        Arbitrary<Event> dropEndpoints = Combinators.combine(clusters, affiliates, times, Arbitraries.integers().between(1, 3))
                .as(Event.EndpointsExpired::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, update), net.jqwik.api.Tuple.of(1, delete),
                net.jqwik.api.Tuple.of(1, expire), net.jqwik.api.Tuple.of(2, dropEndpoints)).list().ofMaxSize(60);
    }
}
