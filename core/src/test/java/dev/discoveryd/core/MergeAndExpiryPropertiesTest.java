package dev.discoveryd.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core's merge, limit and expiry rules against a deliberately naive model written straight from the spec.
 */
class MergeAndExpiryPropertiesTest {

    sealed interface Op {
    }

    record Update(int affiliate, byte[] data, List<Integer> endpoints, int ttlSeconds) implements Op {
    }

    record Delete(int affiliate) implements Op {
    }

    record Advance(int seconds) implements Op {
    }

    record Gc() implements Op {
    }

    /** The spec, as plainly as possible. */
    static final class Model {
        static final class Aff {
            byte[] data = new byte[0];
            long exp = Long.MIN_VALUE;
            final List<byte[]> eps = new ArrayList<>();
            final List<Long> epExp = new ArrayList<>();
        }

        final Map<String, Aff> affiliates = new LinkedHashMap<>();

        boolean update(String id, byte[] data, List<byte[]> eps, long exp) {
            Aff a = affiliates.get(id);
            Aff target = a != null ? a : new Aff();
            List<byte[]> merged = new ArrayList<>(target.eps);
            for (byte[] e : eps) {
                if (merged.stream().noneMatch(x -> Arrays.equals(x, e))) {
                    merged.add(e);
                }
            }
            if (merged.size() > Limits.ENDPOINTS_PER_AFFILIATE) {
                return false;
            }
            if (a == null) {
                affiliates.put(id, target);
            }
            if (data != null && data.length > 0) {
                target.data = data;
            }
            for (byte[] e : eps) {
                int i = indexOf(target.eps, e);
                if (i < 0) {
                    target.eps.add(e);
                    target.epExp.add(exp);
                } else {
                    target.epExp.set(i, Math.max(target.epExp.get(i), exp));
                }
            }
            target.exp = Math.max(target.exp, exp);
            return true;
        }

        void gc(long now) {
            affiliates.values().removeIf(a -> a.exp < now);
            for (Aff a : affiliates.values()) {
                for (int i = a.eps.size() - 1; i >= 0; i--) {
                    if (a.epExp.get(i) < now) {
                        a.eps.remove(i);
                        a.epExp.remove(i);
                    }
                }
            }
        }

        static int indexOf(List<byte[]> list, byte[] e) {
            for (int i = 0; i < list.size(); i++) {
                if (Arrays.equals(list.get(i), e)) {
                    return i;
                }
            }
            return -1;
        }
    }

    @Property(tries = 300)
    void coreAgreesWithTheModel(@ForAll("ops") List<Op> ops) {
        Model model = new Model();
        View view = new View();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (Op op : ops) {
            ClusterState state = view.cluster("c");
            if (op instanceof Update u) {
                String id = "a" + u.affiliate();
                List<byte[]> eps = u.endpoints().stream().map(MergeAndExpiryPropertiesTest::endpoint).toList();
                Duration ttl = Duration.ofSeconds(u.ttlSeconds());
                boolean modelAccepted = model.update(id, u.data(), eps, now.toEpochMilli() + ttl.toMillis());
                try {
                    view.evolve(Decider.update(state, "c", id, u.data(), eps, ttl, now));
                    assertThat(modelAccepted).as("core accepted what the model refused").isTrue();
                } catch (DomainException e) {
                    assertThat(e.error()).isInstanceOf(DomainError.TooManyEndpoints.class);
                    assertThat(modelAccepted).as("core refused what the model accepted").isFalse();
                }
            } else if (op instanceof Delete d) {
                Event.AffiliateDeleted event = Decider.delete(state, "c", "a" + d.affiliate(), now);
                assertThat(event != null).isEqualTo(model.affiliates.containsKey("a" + d.affiliate()));
                if (event != null) {
                    view.evolve(event);
                }
                model.affiliates.remove("a" + d.affiliate());
            } else if (op instanceof Advance a) {
                now = now.plusSeconds(a.seconds());
            } else {
                for (Event e : Decider.expire(state, now)) {
                    view.evolve(e);
                }
                model.gc(now.toEpochMilli());
            }
            assertSame(model, view.cluster("c"));
        }
    }

    private static void assertSame(Model model, ClusterState state) {
        if (model.affiliates.isEmpty()) {
            assertThat(state).as("an empty cluster is dropped from the view").isNull();
            return;
        }
        List<String> ids = state.affiliates().stream().map(Affiliate::id).toList();
        assertThat(ids).containsExactlyElementsOf(model.affiliates.keySet());
        for (Affiliate a : state.affiliates()) {
            Model.Aff m = model.affiliates.get(a.id());
            assertThat(a.data()).isEqualTo(m.data);
            assertThat(a.expiresAt()).isEqualTo(m.exp);
            assertThat(a.endpointCount()).isEqualTo(m.eps.size());
            for (int i = 0; i < a.endpointCount(); i++) {
                assertThat(a.endpoint(i)).isEqualTo(m.eps.get(i));
                assertThat(a.endpointExpiresAt(i)).isEqualTo(m.epExp.get(i));
            }
        }
    }

    static byte[] endpoint(int n) {
        byte[] b = new byte[16];
        b[0] = (byte) n;
        b[1] = (byte) (n >> 8);
        return b;
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> update = Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.bytes().array(byte[].class).ofMaxSize(8)),
                Arbitraries.integers().between(0, 90).list().ofMaxSize(30),
                Arbitraries.integers().between(0, 1800)).as((a, d, e, t) -> (Op) new Update(a, d, e, t));
        Arbitrary<Op> delete = Arbitraries.integers().between(0, 5).map(Delete::new);
        Arbitrary<Op> advance = Arbitraries.integers().between(0, 900).map(Advance::new);
        Arbitrary<Op> gc = Arbitraries.just(new Gc());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, update), net.jqwik.api.Tuple.of(1, delete),
                net.jqwik.api.Tuple.of(2, advance), net.jqwik.api.Tuple.of(2, gc)).list().ofMaxSize(60);
    }
}
