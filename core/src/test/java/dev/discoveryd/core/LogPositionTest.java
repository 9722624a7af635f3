package dev.discoveryd.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LogPositionTest {
    @Test
    void onePartitionIsTheBareOffset() {
        assertThat(LogPosition.of(42L).offset(0)).isEqualTo(42);
        assertThat(LogPosition.of(42L).offset(3)).isEqualTo(LogPosition.NONE_OFFSET);
        assertThat(LogPosition.of(42L)).hasToString("42");
        assertThat(LogPosition.of(-1L)).isSameAs(LogPosition.START);
        assertThat(LogPosition.START).hasToString("start");
        assertThat(LogPosition.of(3, 7)).hasToString("0:3,1:7");
        assertThat(LogPosition.of(41L)).isLessThan(LogPosition.of(42L));
    }

    @Test
    void trailingNothingIsDropped() {
        assertThat(LogPosition.of(5, -1, -1)).isEqualTo(LogPosition.of(5L)).hasSameHashCodeAs(LogPosition.of(5L));
        assertThat(LogPosition.of(-1, -1)).isSameAs(LogPosition.START);
        assertThat(LogPosition.of(5L).advance(2, 9)).isEqualTo(LogPosition.of(5, -1, 9));
    }

    @Test
    void concurrentPositionsIncludeNeitherWay() {
        LogPosition a = LogPosition.of(5, 1);
        LogPosition b = LogPosition.of(1, 5);
        assertThat(a.includes(b)).isFalse();
        assertThat(b.includes(a)).isFalse();
        assertThat(a.union(b)).isEqualTo(LogPosition.of(5, 5));
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> LogPosition.of(3, -2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogPosition.read(ByteBuffer.wrap(new byte[] {0, 0, 0, 2, 0})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogPosition.read(ByteBuffer.wrap(new byte[] {(byte) 0xFF, 0, 0, 0})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogPosition.read(ByteBuffer.wrap(new byte[] {0, 0})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void bytesRoundTrip(@ForAll("positions") LogPosition p) {
        ByteBuffer in = ByteBuffer.wrap(p.toBytes());
        assertThat(LogPosition.read(in)).isEqualTo(p);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Property
    void orderAgreesWithInclusion(@ForAll("positions") LogPosition a, @ForAll("positions") LogPosition b) {
        if (a.includes(b)) {
            assertThat(a.compareTo(b)).isGreaterThanOrEqualTo(0);
        }
        assertThat(a.includes(b) && b.includes(a)).isEqualTo(a.equals(b));
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
        assertThat(a.includes(LogPosition.START)).isTrue();
    }

    @Property
    void unionIsTheLeastUpperBound(@ForAll("positions") LogPosition a, @ForAll("positions") LogPosition b) {
        LogPosition u = a.union(b);
        assertThat(u.includes(a)).isTrue();
        assertThat(u.includes(b)).isTrue();
        for (int p = 0; p < u.partitions(); p++) {
            assertThat(u.offset(p)).isEqualTo(Math.max(a.offset(p), b.offset(p)));
        }
    }

    @Provide
    Arbitrary<LogPosition> positions() {
        return Arbitraries.longs().between(-1, 20).list().ofMaxSize(4)
                .map(List::stream).map(s -> s.mapToLong(Long::longValue).toArray()).map(LogPosition::of);
    }
}
