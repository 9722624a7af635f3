package dev.discoveryd.eventlog.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.View;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.LogOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dump, stats and replay --until over a small known log. */
class ToolsTest {
    private static final long T0 = Instant.parse("2026-05-19T10:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeyRing keys = KeyRing.generate(1);
    private final ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    @BeforeEach
    void writeLog() {
        List<Event> events = List.of(
                new Event.AffiliateUpdated("c1", "a1", T0, new byte[] {1, 2, 3}, List.of(new byte[] {10, 0, 0, 1}), T0 + 60_000),
                new Event.AffiliateUpdated("c1", "a2", T0 + 1000, new byte[] {4}, List.of(), T0 + 61_000),
                new Event.AffiliateUpdated("c2", "a1", T0 + 2000, null, List.of(new byte[] {5}, new byte[] {6}), T0 + 62_000),
                new Event.EndpointsExpired("c2", "a1", T0 + 3000, 0),
                new Event.AffiliateDeleted("c1", "a2", T0 + 4000),
                new Event.AffiliateExpired("c1", "a1", T0 + 5000));
        try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dataDir, keys))) {
            events.forEach(e -> log.append(e).join());
        }
    }

    @Test
    void dumpPrintsOneJsonObjectPerEventAndFilters() throws Exception {
        List<JsonNode> all = dump(DumpFilter.ALL);
        assertThat(all).extracting(n -> n.get("type").asText())
                .containsExactly("update", "update", "update", "expire-endpoints", "delete", "expire");
        JsonNode first = all.get(0);
        assertThat(first.get("time").asText()).isEqualTo("2026-05-19T10:00:00Z");
        assertThat(first.get("cluster").asText()).isEqualTo("c1");
        assertThat(first.get("affiliate").asText()).isEqualTo("a1");
        assertThat(first.get("dataBytes").asInt()).isEqualTo(3);
        assertThat(first.get("endpoints").asInt()).isEqualTo(1);
        assertThat(first.get("expiresAt").asText()).isEqualTo("2026-05-19T10:01:00Z");
        assertThat(first.get("recordBytes").asInt()).isGreaterThan(100);
        assertThat(all.get(2).get("dataBytes").isNull()).isTrue();
        assertThat(all).extracting(n -> n.get("index").asLong()).isSorted();

        assertThat(dump(new DumpFilter("c1", null, null, null))).hasSize(4);
        assertThat(dump(new DumpFilter("c1", "a2", null, null))).hasSize(2);
        assertThat(dump(new DumpFilter(null, null, Instant.ofEpochMilli(T0 + 1000), Instant.ofEpochMilli(T0 + 3000))))
                .extracting(n -> n.get("type").asText()).containsExactly("update", "update", "expire-endpoints");
    }

    @Test
    void statsCountEventsClustersAndSize() throws Exception {
        StringWriter out = new StringWriter();
        assertThat(new LogStats(dataDir, keys).run(out, progress)).isEqualTo(ExitCodes.OK);
        JsonNode stats = JSON.readTree(out.toString());
        assertThat(stats.get("events").asInt()).isEqualTo(6);
        assertThat(stats.get("byType").get("update").asInt()).isEqualTo(3);
        assertThat(stats.get("byType").get("expire").asInt()).isEqualTo(1);
        assertThat(stats.get("clusters").asInt()).isEqualTo(2);
        assertThat(stats.get("affiliates").asInt()).isEqualTo(3);
        assertThat(stats.get("firstTime").asText()).isEqualTo("2026-05-19T10:00:00Z");
        assertThat(stats.get("lastTime").asText()).isEqualTo("2026-05-19T10:00:05Z");
        assertThat(stats.get("sizeOnDisk").asLong()).isGreaterThan(stats.get("recordBytes").asLong());
    }

    @Test
    void replayUntilShowsTheViewAsItWasThen() throws Exception {
        StringWriter out = new StringWriter();
        Replayer replayer = new Replayer(dataDir, keys, Clock.systemUTC());
        assertThat(replayer.run(Instant.ofEpochMilli(T0 + 2500), out, progress)).isEqualTo(ExitCodes.OK);
        JsonNode view = JSON.readTree(out.toString());
        assertThat(view.get("asOf").asText()).isEqualTo("2026-05-19T10:00:02.500Z");
        assertThat(view.get("clusterCount").asInt()).isEqualTo(2);
        assertThat(view.get("affiliateCount").asInt()).isEqualTo(3);
        JsonNode c1 = view.get("clusters").get(0);
        assertThat(c1.get("id").asText()).isEqualTo("c1");
        JsonNode a1 = c1.get("affiliates").get(0);
        assertThat(Base64.getDecoder().decode(a1.get("data").asText())).containsExactly(1, 2, 3);
        assertThat(Base64.getDecoder().decode(a1.get("endpoints").get(0).get("data").asText())).containsExactly(10, 0, 0, 1);
        assertThat(a1.get("endpoints").get(0).get("expiresAt").asText()).isEqualTo("2026-05-19T10:01:00Z");
        assertThat(progressBytes.toString(StandardCharsets.UTF_8)).contains("replayed 3 events");

        View end = replayer.replayUntil(Instant.ofEpochMilli(T0 + 10_000), progress);
        assertThat(end.clusterCount()).isEqualTo(1);
        assertThat(end.cluster("c2").affiliate("a1").endpointCount()).isEqualTo(2);
    }

    @Test
    void toolsSayWhenThereIsNoLog(@TempDir Path empty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(new LogVerify(empty, keys).run(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isEqualTo(ExitCodes.UNUSABLE);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no event log");
        assertThat(new LogDump(empty, keys).run(DumpFilter.ALL, new StringWriter())).isEqualTo(ExitCodes.UNUSABLE);
    }

    private List<JsonNode> dump(DumpFilter filter) throws Exception {
        StringWriter out = new StringWriter();
        assertThat(new LogDump(dataDir, keys).run(filter, out)).isEqualTo(ExitCodes.OK);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isEmpty()) {
                assertThat(line).doesNotStartWith(" ");
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
