package dev.discoveryd.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code log verify} names the first modified, removed, reordered or inserted record of real log files. */
class TamperTest {
    private final KeyRing keys = KeyRing.generate(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-19T10:00:00Z"));

    @TempDir
    Path dataDir;

    private List<Long> indexes;
    private List<byte[]> records;

    @BeforeEach
    void writeLog() {
        try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dataDir, keys).withClock(clock))) {
            indexes = EventLogContract.appendAll(log, new TestEvents(3).next(8)).stream().map(ChronicleEventLog::index).toList();
        }
        records = QueueSurgery.records(dataDir);
        assertThat(verify()).startsWith("ok: 8 events");
    }

    @Test
    void modifiedRecord() throws Exception {
        QueueSurgery.flipByte(dataDir, records.get(3), 70); // in the ciphertext: the GCM tag no longer matches
        assertThat(verify()).startsWith("BAD record " + indexes.get(3) + " ").contains("authentication failed");
    }

    @Test
    void modifiedNonce() throws Exception {
        QueueSurgery.flipByte(dataDir, records.get(3), 40); // the mac covers the key id, nonce and tag
        assertThat(verify()).startsWith("BAD record " + indexes.get(3) + " ").contains("MAC mismatch");
    }

    @Test
    void modifiedChainLink() throws Exception {
        QueueSurgery.flipByte(dataDir, records.get(5), 10);
        assertThat(verify()).startsWith("BAD record " + indexes.get(5) + " ");
    }

    @Test
    void removedRecord() throws Exception {
        List<byte[]> tampered = new ArrayList<>(records);
        tampered.remove(4);
        QueueSurgery.rewrite(dataDir, tampered, clock);
        assertThat(verify()).startsWith("BAD record " + indexes.get(4) + " ").contains("removed, reordered or inserted");
    }

    @Test
    void reorderedRecords() throws Exception {
        List<byte[]> tampered = new ArrayList<>(records);
        Collections.swap(tampered, 2, 6);
        QueueSurgery.rewrite(dataDir, tampered, clock);
        assertThat(verify()).startsWith("BAD record " + indexes.get(2) + " ");
    }

    @Test
    void insertedCopyOfAnAuthenticRecord() throws Exception {
        List<byte[]> tampered = new ArrayList<>(records);
        tampered.add(5, records.get(1));
        QueueSurgery.rewrite(dataDir, tampered, clock);
        assertThat(verify()).startsWith("BAD record " + indexes.get(5) + " ");
    }

    @Test
    void insertedForgedRecord() throws Exception {
        byte[] forged = records.get(2).clone();
        new Random(1).nextBytes(forged);
        forged[0] = 1;
        forged[1] = 1;
        List<byte[]> tampered = new ArrayList<>(records);
        tampered.add(3, forged);
        QueueSurgery.rewrite(dataDir, tampered, clock);
        assertThat(verify()).startsWith("BAD record " + indexes.get(3) + " ");
    }

    @Test
    void recordSealedUnderAnotherKeyIsRejected() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new LogVerify(dataDir, KeyRing.generate(1)).run(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ExitCodes.CORRUPT);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("BAD record " + indexes.get(0) + " ");
    }

    private String verify() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new LogVerify(dataDir, keys).run(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(text.startsWith("ok") ? ExitCodes.OK : ExitCodes.CORRUPT);
        return text;
    }
}
