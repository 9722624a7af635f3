package dev.discoveryd.eventlog.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.EventLogException;
import dev.discoveryd.eventlog.LogScanner;
import dev.discoveryd.eventlog.record.ChainBreakException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code log stats}: one JSON object with {@code events}, {@code byType}, {@code clusters} and {@code affiliates}
 * (distinct ids seen), {@code firstTime}/{@code lastTime} (RFC 3339), {@code firstIndex}/{@code lastIndex},
 * {@code recordBytes} (sum of record sizes) and {@code sizeOnDisk} (bytes of the log's files).
 */
public final class LogStats {
    private final Path dataDir;
    private final KeyRing keys;

    public LogStats(Path dataDir, KeyRing keys) {
        this.dataDir = dataDir;
        this.keys = keys;
    }

    /** Writes the statistics; problems go to {@code err}. Returns an {@link ExitCodes} value. */
    public int run(Writer out, PrintStream err) {
        Map<String, Long> byType = new TreeMap<>();
        Set<String> clusters = new HashSet<>();
        Set<String> affiliates = new HashSet<>();
        long[] n = {0, Long.MAX_VALUE, Long.MIN_VALUE, -1, -1, 0}; // events, first time, last time, first/last index, bytes
        try (LogScanner scanner = LogScanner.open(dataDir, keys)) {
            int exit = ExitCodes.OK;
            try {
                scanner.scan(ChronicleEventLog.NO_INDEX, ce -> {
                    Event e = ce.event();
                    n[0]++;
                    n[1] = Math.min(n[1], e.time());
                    n[2] = Math.max(n[2], e.time());
                    n[3] = n[3] < 0 ? ce.index() : n[3];
                    n[4] = ce.index();
                    n[5] += ce.storedBytes();
                    byType.merge(EventType.of(e), 1L, Long::sum);
                    clusters.add(e.clusterId());
                    affiliates.add(e.clusterId() + '\u0000' + e.affiliateId());
                });
            } catch (ChainBreakException e) {
                err.println("stats cover the records before the first bad one: " + e.getMessage());
                exit = ExitCodes.CORRUPT;
            }
            try (JsonGenerator g = Json.generator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeNumberField("events", n[0]);
                g.writeObjectFieldStart("byType");
                for (String type : new String[] {EventType.UPDATE, EventType.DELETE, EventType.EXPIRE, EventType.EXPIRE_ENDPOINTS}) {
                    g.writeNumberField(type, byType.getOrDefault(type, 0L));
                }
                g.writeEndObject();
                g.writeNumberField("clusters", clusters.size());
                g.writeNumberField("affiliates", affiliates.size());
                if (n[0] > 0) {
                    g.writeStringField("firstTime", Json.time(n[1]));
                    g.writeStringField("lastTime", Json.time(n[2]));
                    g.writeNumberField("firstIndex", n[3]);
                    g.writeNumberField("lastIndex", n[4]);
                }
                g.writeNumberField("recordBytes", n[5]);
                g.writeNumberField("sizeOnDisk", scanner.sizeOnDisk());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            return exit;
        } catch (EventLogException e) {
            err.println("cannot read the log: " + e.getMessage());
            return ExitCodes.UNUSABLE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
