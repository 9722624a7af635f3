package dev.discoveryd.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.TestEvents;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final Event.AffiliateUpdated UPDATE = new Event.AffiliateUpdated("c1", "a1", 1000, new byte[] {9, 8},
            List.of(new byte[] {1, 2, 3}), 61_000);
    /** Version 1 bytes of UPDATE: logs written today must decode forever. */
    private static final String UPDATE_V1 = "0101026331026131" + "00000000000003e8" + "01020908" + "0103010203"
            + "000000000000ee48";

    @Test
    void roundTripsEveryEventType() {
        TestEvents events = new TestEvents(9);
        for (Event e : events.next(200)) {
            assertThat(TestEvents.text(EventCodec.decode(EventCodec.encode(e)))).isEqualTo(TestEvents.text(e));
        }
        Event noData = new Event.AffiliateUpdated("ü-cluster", "a", 5, null, List.of(), 6);
        assertThat(TestEvents.text(EventCodec.decode(EventCodec.encode(noData)))).isEqualTo(TestEvents.text(noData));
    }

    @Test
    void versionOneLayoutIsStable() {
        assertThat(HexFormat.of().formatHex(EventCodec.encode(UPDATE))).isEqualTo(UPDATE_V1);
        assertThat(TestEvents.text(EventCodec.decode(HexFormat.of().parseHex(UPDATE_V1)))).isEqualTo(TestEvents.text(UPDATE));
    }

    @Test
    void newerRecordsWithAppendedFieldsStillDecode() {
        byte[] newer = Arrays.copyOf(EventCodec.encode(UPDATE), UPDATE_V1.length() / 2 + 5);
        newer[0] = 2;
        assertThat(TestEvents.text(EventCodec.decode(newer))).isEqualTo(TestEvents.text(UPDATE));
    }

    @Test
    void rejectsUnknownTypesAndTruncatedBytes() {
        byte[] bytes = EventCodec.encode(UPDATE);
        byte[] unknown = bytes.clone();
        unknown[1] = 77;
        assertThatThrownBy(() -> EventCodec.decode(unknown)).isInstanceOf(EventCodecException.class).hasMessageContaining("77");
        assertThatThrownBy(() -> EventCodec.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(EventCodecException.class);
        assertThatThrownBy(() -> EventCodec.decode(new byte[0])).isInstanceOf(EventCodecException.class);
    }
}
