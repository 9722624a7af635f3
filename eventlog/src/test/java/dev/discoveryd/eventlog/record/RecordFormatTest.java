package dev.discoveryd.eventlog.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.core.codec.EventCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private final KeyRing keys = KeyRing.generate(1);

    private static Event event(int i) {
        long t = Instant.parse("2026-05-19T10:00:00Z").plusSeconds(i).toEpochMilli();
        return new Event.AffiliateUpdated("cluster-" + i, "node-" + i, t, new byte[]{(byte) i, 2, 3}, List.of(),
                t + 1_800_000);
    }

    @Test
    void everyByteOfARecordIsCoveredByTheKey() {
        byte[] record = RecordFormat.write(keys, RecordFormat.KIND_EVENT, RecordFormat.GENESIS, EventCodec.encode(event(1)));
        assertThat(record[0]).isEqualTo((byte) RecordFormat.FORMAT);
        assertThat(RecordFormat.read(keys, record).plaintext()).isEqualTo(EventCodec.encode(event(1)));
        for (int i = 0; i < record.length; i++) {
            byte[] modified = record.clone();
            modified[i] ^= 0x01;
            int at = i;
            assertThatThrownBy(() -> RecordFormat.read(keys, modified)).as("byte %d flipped", at)
                    .isInstanceOf(RecordException.class);
        }
    }

    @Test
    void aLogStartedInFormatOneReadsAndChainsIntoFormatTwo() {
        List<byte[]> records = new ArrayList<>();
        byte[] anchor = RecordFormat.GENESIS;
        for (int i = 0; i < 6; i++) {
            int format = i < 3 ? RecordFormat.FORMAT_1 : RecordFormat.FORMAT;
            byte[] r = RecordFormat.write(keys, format, RecordFormat.KIND_EVENT, anchor, EventCodec.encode(event(i)));
            records.add(r);
            anchor = RecordFormat.read(keys, r).mac();
        }
        ChainCheck check = new ChainCheck(keys, RecordFormat.GENESIS);
        for (int i = 0; i < records.size(); i++) {
            assertThat(check.next(i, records.get(i)).event().clusterId()).isEqualTo("cluster-" + i);
        }
        assertThat(check.unresolvedTail()).isEmpty();

        ChainCheck skipping = new ChainCheck(keys, RecordFormat.GENESIS);
        skipping.next(0, records.get(0));
        skipping.next(1, records.get(1));
        assertThatThrownBy(() -> skipping.next(3, records.get(3))).isInstanceOf(ChainBreakException.class)
                .hasMessageContaining("does not follow record 1");
    }

    @Test
    void aFormatOneMacStillCoversTheWholeRecord() {
        byte[] v1 = RecordFormat.write(keys, RecordFormat.FORMAT_1, RecordFormat.KIND_EVENT, RecordFormat.GENESIS,
                EventCodec.encode(event(7)));
        byte[] relabelled = v1.clone();
        relabelled[0] = (byte) RecordFormat.FORMAT; // same bytes read as format 2: its mac does not match
        assertThatThrownBy(() -> RecordFormat.read(keys, relabelled)).isInstanceOf(RecordException.class)
                .hasMessageContaining("MAC mismatch");
    }
}
