package dev.discoveryd.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.nodeclient.format.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class IpSetTest {
    @Test
    void masksAndCoalescesAdjacentRanges() {
        IpSet set = IpSet.of(prefixes("10.0.0.1/25", "10.0.0.128/25", "10.0.1.0/24"));
        assertThat(set.prefixes()).containsExactlyElementsOf(prefixes("10.0.0.0/23"));
    }

    @Test
    void subtractionSplitsIntoMinimalSortedCoverV4First() {
        IpSet set = IpSet.of(prefixes("fd00::/126", "10.0.0.0/24")).remove(IpPrefix.parse("10.0.0.64/26"));
        assertThat(set.prefixes()).containsExactlyElementsOf(prefixes("10.0.0.0/26", "10.0.0.128/25", "fd00::/126"));
        assertThat(IpSet.of(prefixes("0.0.0.0/0")).prefixes()).containsExactlyElementsOf(prefixes("0.0.0.0/0"));
    }

    @Property(tries = 300)
    void coverIsExactMinimalAndSorted(@ForAll("prefixLists") List<IpPrefix> adds, @ForAll("prefixLists") List<IpPrefix> cuts,
                                      @ForAll("probes") List<Integer> probes) {
        IpSet set = IpSet.of(adds).subtract(IpSet.of(cuts));
        List<IpPrefix> cover = set.prefixes();
        assertThat(IpSet.of(cover)).isEqualTo(set);
        for (int probe : probes) {
            InetAddress ip = v4(probe);
            boolean expected = adds.stream().anyMatch(p -> inside(p, ip)) && cuts.stream().noneMatch(p -> inside(p, ip));
            assertThat(set.contains(ip)).as(ip.toString()).isEqualTo(expected);
        }
        for (int i = 1; i < cover.size(); i++) {
            assertThat(start(cover.get(i - 1))).isLessThan(start(cover.get(i)));
            // Minimal: two equal-size aligned siblings would have been one prefix.
            IpPrefix a = cover.get(i - 1);
            IpPrefix b = cover.get(i);
            boolean siblings = a.bits() == b.bits() && a.bits() > 0
                    && start(a).shiftRight(32 - a.bits() + 1).equals(start(b).shiftRight(32 - b.bits() + 1));
            assertThat(siblings).as(a + " and " + b).isFalse();
        }
    }

    @Provide
    Arbitrary<List<IpPrefix>> prefixLists() {
        Arbitrary<IpPrefix> prefix = Combinators.combine(Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(20, 32)).as((low, bits) -> new IpPrefix(v4((10 << 24) | (low << 4)), bits));
        return prefix.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Integer>> probes() {
        return Arbitraries.integers().between(0, 1 << 13).map(i -> (10 << 24) | i).list().ofSize(40);
    }

    private static boolean inside(IpPrefix p, InetAddress ip) {
        return IpSet.empty().add(p).contains(ip);
    }

    private static BigInteger start(IpPrefix p) {
        return new BigInteger(1, p.ip().getAddress());
    }

    private static InetAddress v4(int value) {
        try {
            return InetAddress.getByAddress(java.nio.ByteBuffer.allocate(4).putInt(value).array());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static List<IpPrefix> prefixes(String... text) {
        return new ArrayList<>(Stream.of(text).map(IpPrefix::parse).toList());
    }
}
