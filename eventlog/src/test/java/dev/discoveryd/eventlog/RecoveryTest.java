package dev.discoveryd.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.MutableClock;
import dev.discoveryd.core.TestEvents;
import dev.discoveryd.core.port.EventLogContract;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.tools.ExitCodes;
import dev.discoveryd.eventlog.tools.LogVerify;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash and corruption on real files: a torn last record is dropped, corruption in the middle stops start-up. */
class RecoveryTest {
    private final KeyRing keys = KeyRing.generate(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-19T10:00:00Z"));
    private final TestEvents events = new TestEvents(7);

    @TempDir
    Path dataDir;

    private ChronicleEventLog open() {
        return ChronicleEventLog.open(LogOptions.defaults(dataDir, keys).withClock(clock));
    }

    private List<Long> write(List<Event> batch) {
        try (ChronicleEventLog log = open()) {
            return EventLogContract.appendAll(log, batch).stream().map(ChronicleEventLog::index).toList();
        }
    }

    @Test
    void tornLastRecordIsDroppedAndTheLogGoesOn() throws Exception {
        List<Event> written = events.next(5);
        List<Long> indexes = write(written);
        List<byte[]> raw = QueueSurgery.records(dataDir);
        QueueSurgery.tearEnd(dataDir, raw.get(4), 20);
        assertThat(verify()).startsWith("BAD record " + indexes.get(4));

        List<Event> more = events.next(3);
        try (ChronicleEventLog log = open()) {
            assertThat(ChronicleEventLog.index(log.end())).isGreaterThan(indexes.get(4));
            assertThat(TestEvents.texts(EventLogContract.replayAll(log))).isEqualTo(TestEvents.texts(written.subList(0, 4)));
            EventLogContract.appendAll(log, more);
        }
        List<Event> expected = new ArrayList<>(written.subList(0, 4));
        expected.addAll(more);
        try (ChronicleEventLog log = open()) {
            assertThat(TestEvents.texts(EventLogContract.replayAll(log))).isEqualTo(TestEvents.texts(expected));
        }
        assertThat(verify()).startsWith("ok: 7 events").contains("1 torn record(s) dropped");
    }

    @Test
    void corruptionInTheMiddleStopsReplayNamingTheRecordAndTheCommand() throws Exception {
        List<Long> indexes = write(events.next(6));
        QueueSurgery.flipByte(dataDir, QueueSurgery.records(dataDir).get(2), 60);
        try (ChronicleEventLog log = open()) {
            assertThatThrownBy(() -> EventLogContract.replayAll(log))
                    .isInstanceOf(EventLogException.class)
                    .hasMessageContaining("record " + indexes.get(2))
                    .hasMessageContaining("log verify --data-dir " + dataDir);
        }
    }

    @Test
    void twoUnreadableRecordsAtTheEndStopStartUp() throws Exception {
        write(events.next(4));
        List<byte[]> raw = QueueSurgery.records(dataDir);
        QueueSurgery.flipByte(dataDir, raw.get(2), 40);
        QueueSurgery.tearEnd(dataDir, raw.get(3), 8);
        assertThatThrownBy(this::open).isInstanceOf(EventLogException.class)
                .hasMessageContaining("corrupt").hasMessageContaining("log verify");
    }

    private String verify() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new LogVerify(dataDir, keys).run(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(text.startsWith("ok") ? ExitCodes.OK : ExitCodes.CORRUPT);
        return text;
    }
}
