package dev.discoveryd.eventlog.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.EventLogException;
import dev.discoveryd.eventlog.LogScanner;
import dev.discoveryd.eventlog.record.ChainBreakException;
import dev.discoveryd.eventlog.record.CheckedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * {@code log dump}: one JSON object per line per matching event, with {@code index}, {@code time} (RFC 3339),
 * {@code type} (update, delete, expire, expire-endpoints), {@code cluster}, {@code affiliate}, {@code recordBytes};
 * updates add {@code dataBytes} (null: data unchanged), {@code endpoints} (count), {@code endpointBytes} and
 * {@code expiresAt}; expire-endpoints adds {@code expiredEndpoints}. A bad record ends the dump with a line
 * {@code {"error": "..."}}. Affiliate data and endpoints themselves are never printed.
 */
public final class LogDump {
    private final Path dataDir;
    private final KeyRing keys;

    public LogDump(Path dataDir, KeyRing keys) {
        this.dataDir = dataDir;
        this.keys = keys;
    }

    /** Writes the dump; returns an {@link ExitCodes} value. */
    public int run(DumpFilter filter, Writer out) {
        try (LogScanner scanner = LogScanner.open(dataDir, keys); JsonGenerator g = Json.generator(out)) {
            try {
                scanner.scan(ChronicleEventLog.NO_INDEX, ce -> {
                    if (filter.matches(ce.event())) {
                        line(g, ce);
                    }
                });
                return ExitCodes.OK;
            } catch (ChainBreakException e) {
                g.writeStartObject();
                g.writeStringField("error", e.getMessage() + " (" + scanner.locate(e.index()) + ")");
                g.writeEndObject();
                g.writeRaw('\n');
                return ExitCodes.CORRUPT;
            }
        } catch (EventLogException e) {
            write(out, "{\"error\": \"" + e.getMessage().replace("\"", "'") + "\"}\n");
            return ExitCodes.UNUSABLE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void line(JsonGenerator g, CheckedEvent ce) {
        Event e = ce.event();
        try {
            g.writeStartObject();
            g.writeNumberField("index", ce.index());
            g.writeStringField("time", Json.time(e.time()));
            g.writeStringField("type", EventType.of(e));
            g.writeStringField("cluster", e.clusterId());
            g.writeStringField("affiliate", e.affiliateId());
            g.writeNumberField("recordBytes", ce.storedBytes());
            if (e instanceof Event.AffiliateUpdated u) {
                if (u.data() == null) {
                    g.writeNullField("dataBytes");
                } else {
                    g.writeNumberField("dataBytes", u.data().length);
                }
                g.writeNumberField("endpoints", u.endpoints().size());
                g.writeNumberField("endpointBytes", u.endpoints().stream().mapToInt(b -> b.length).sum());
                g.writeStringField("expiresAt", Json.time(u.expiresAt()));
            } else if (e instanceof Event.EndpointsExpired x) {
                g.writeNumberField("expiredEndpoints", x.count());
            }
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void write(Writer out, String s) {
        try {
            out.write(s);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
