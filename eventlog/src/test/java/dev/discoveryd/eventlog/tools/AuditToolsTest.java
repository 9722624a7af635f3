package dev.discoveryd.eventlog.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.LogHead;
import dev.discoveryd.eventlog.LogOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heads and anchors against truncation, --follow, the jsonl hashes and progress, on real Chronicle logs. */
class AuditToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeyRing keys = KeyRing.generate(1);

    @TempDir
    Path tmp;

    private static Event update(int i) {
        long t = Instant.parse("2026-05-19T10:00:00Z").toEpochMilli() + i * 1000L;
        return new Event.AffiliateUpdated("c1", "a" + i, t, ("data-" + i).getBytes(StandardCharsets.UTF_8),
                List.of(("ep-" + i).getBytes(StandardCharsets.UTF_8)), t + 60_000);
    }

    private void append(Path dataDir, int from, int to) {
        try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dataDir, keys))) {
            CompletableFuture<?> last = CompletableFuture.completedFuture(null);
            for (int i = from; i < to; i++) {
                last = log.append(update(i)); // pipelined: appends complete in order
            }
            last.join();
        }
    }

    private record Verdict(int code, String out) {
    }

    private Verdict verify(Path dataDir, List<LogVerify.Anchor> anchors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new LogVerify(dataDir, keys).run(anchors, new PrintStream(out, true, StandardCharsets.UTF_8), null,
                Clock.systemUTC());
        return new Verdict(code, out.toString(StandardCharsets.UTF_8));
    }

    private LogHead head(Path dataDir) {
        StringWriter out = new StringWriter();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(new LogVerify(dataDir, keys).head(out, new PrintStream(err, true), null, Clock.systemUTC()))
                .isEqualTo(ExitCodes.OK);
        return LogHead.parseJson(out.toString());
    }

    @Test
    void anAnchorExportedEarlierFindsRecordsCutOffTheEndWithoutAnySnapshot() throws Exception {
        Path data = tmp.resolve("data");
        append(data, 0, 5);
        Path shorter = tmp.resolve("shorter");
        copy(LogOptions.logDir(data), shorter);
        append(data, 5, 8);
        LogHead head = head(data);
        Path anchorFile = tmp.resolve("head.json");
        Files.writeString(anchorFile, head.toJson());
        LogVerify.Anchor anchor = new LogVerify.Anchor(anchorFile.toString(), LogHead.parseJson(Files.readString(anchorFile)));

        Verdict intact = verify(data, List.of(anchor));
        assertThat(intact.code()).as(intact.out()).isEqualTo(ExitCodes.OK);
        assertThat(intact.out()).contains("ok: 8 events", "reaches the head in " + anchorFile);

        replaceLog(data, shorter);
        Verdict plain = verify(data, List.of());
        assertThat(plain.code()).isEqualTo(ExitCodes.OK); // the chain alone cannot tell: an older, shorter log
        assertThat(plain.out()).contains("ok: 5 events", "no head to check against");
        Verdict cut = verify(data, List.of(anchor));
        assertThat(cut.code()).as(cut.out()).isEqualTo(ExitCodes.CORRUPT);
        assertThat(cut.out()).startsWith("BAD log: the log ends at record")
                .contains("cut off its end (truncated)", "record " + head.index());

        // Cut back and written again: the head's index may exist again, but not with the head's mac.
        append(data, 100, 104);
        Verdict rewritten = verify(data, List.of(anchor));
        assertThat(rewritten.code()).as(rewritten.out()).isEqualTo(ExitCodes.CORRUPT);
        assertThat(rewritten.out()).containsAnyOf("is not the record the log had reached", "is missing");
    }

    @Test
    void followSeesAnUpdateMadeAfterItStarted() throws Exception {
        Path data = tmp.resolve("data");
        SyncWriter out = new SyncWriter();
        AtomicBoolean stop = new AtomicBoolean();
        try (ChronicleEventLog service = ChronicleEventLog.open(LogOptions.defaults(data, keys))) {
            service.append(update(0)).join();
            service.append(update(1)).join();
            LogDump.Options options = new LogDump.Options(null, null, Clock.systemUTC(), stop::get);
            CompletableFuture<Integer> following = CompletableFuture.supplyAsync(
                    () -> new LogDump(data, keys).run(DumpFilter.ALL, options, out));
            awaitLines(out, 2);
            service.append(update(2)).join();
            awaitLines(out, 3);
            stop.set(true);
            assertThat(following.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        }
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines.get(2)).get("affiliate").asText()).isEqualTo("a2");
    }

    @Test
    void jsonlCarriesBlobHashesAndSizesButNeverTheBlobs() throws Exception {
        Path data = tmp.resolve("data");
        append(data, 0, 2);
        StringWriter out = new StringWriter();
        assertThat(new LogDump(data, keys).run(DumpFilter.ALL, out)).isEqualTo(ExitCodes.OK);
        JsonNode first = JSON.readTree(out.toString().lines().findFirst().orElseThrow());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertThat(first.get("dataSha256").asText())
                .isEqualTo(HexFormat.of().formatHex(sha.digest("data-0".getBytes(StandardCharsets.UTF_8))));
        assertThat(first.get("endpointSha256").get(0).asText())
                .isEqualTo(HexFormat.of().formatHex(sha.digest("ep-0".getBytes(StandardCharsets.UTF_8))));
        assertThat(first.get("dataBytes").asInt()).isEqualTo(6);
        assertThat(out.toString()).doesNotContain("data-0", "ZGF0YS0w"); // neither the bytes nor their base64
    }

    @Test
    void verifyReportsProgressOnLongLogs() {
        Path data = tmp.resolve("data");
        append(data, 0, 9000);
        AtomicLong millis = new AtomicLong();
        Clock ticking = new Clock() { // one second per reading: every check is past the next report
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.addAndGet(1000));
            }

            @Override
            public long millis() {
                return millis.addAndGet(1000);
            }
        };
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(new LogVerify(data, keys).run(List.of(), new PrintStream(out, true), new PrintStream(progress, true),
                ticking)).isEqualTo(ExitCodes.OK);
        assertThat(progress.toString(StandardCharsets.UTF_8).lines().toList())
                .anySatisfy(l -> assertThat(l).matches("verify: \\d+ of ~9000 events \\(\\d+%\\), \\d+ events/s"))
                .anySatisfy(l -> assertThat(l).startsWith("verify: 9000 events in"));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("ok: 9000 events");
    }

    @Test
    void aBadAnchorFileIsAClearError() {
        assertThatThrownBy(() -> LogHead.parseJson("{\"index\": 3}")).hasMessageContaining("needs \"logHead\": 1");
        assertThatThrownBy(() -> LogHead.parseJson("{\"logHead\": 1, \"index\": 3, \"mac\": \"abcd\"}"))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> LogHead.parseJson("not json")).hasMessageContaining("not a log head");
        LogHead head = new LogHead(42, new byte[32]);
        assertThat(LogHead.parseJson(head.toJson())).isEqualTo(head);
        assertThat(LogHead.fromBytes(head.toBytes())).isEqualTo(head);
    }

    private static void awaitLines(SyncWriter out, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.toString().lines().count() < n) {
            assertThat(System.nanoTime()).as("waiting for %d lines, have: %s", n, out).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A writer another thread may read while the dump writes. */
    private static final class SyncWriter extends Writer {
        private final StringBuffer text = new StringBuffer();

        @Override
        public void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static void replaceLog(Path data, Path with) throws IOException {
        Path dir = LogOptions.logDir(data);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        copy(with, dir);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
