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
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code log dump}: one JSON object per line per matching event (schema in docs/log-tools.md; fields are only ever
 * added). Every line has {@code index}, {@code time} (RFC 3339), {@code type} (update, delete, expire,
 * expire-endpoints), {@code cluster}, {@code affiliate}, {@code recordBytes}; updates add {@code dataBytes} and
 * {@code dataSha256} (null: data unchanged), {@code endpoints} (count), {@code endpointBytes}, {@code endpointSha256}
 * and {@code expiresAt}; expire-endpoints adds {@code expiredEndpoints}. With a {@link AffiliateTimeline} (the cluster
 * secret), that cluster's lines also carry the decoded data and endpoints and the changes since the affiliate's
 * previous event. A bad record ends the dump with a line {@code {"error": "..."}}. Without a secret, affiliate data
 * and endpoints are never printed, only their sizes and hashes.
 */
public final class LogDump {
    private static final HexFormat HEX = HexFormat.of();

    private final Path dataDir;
    private final KeyRing keys;

    /**
     * How to dump beyond the filter.
     *
     * @param decoding decodes one cluster's blobs, or null
     * @param progress where progress lines go on long logs (stderr), or null
     * @param follow   null: stop at the end of the log; else keep printing new events until it returns true
     */
    public record Options(AffiliateTimeline decoding, PrintStream progress, Clock clock, BooleanSupplier follow) {
        public static final Options PLAIN = new Options(null, null, Clock.systemUTC(), null);
    }

    public LogDump(Path dataDir, KeyRing keys) {
        this.dataDir = dataDir;
        this.keys = keys;
    }

    /** Writes the dump; returns an {@link ExitCodes} value. */
    public int run(DumpFilter filter, Writer out) {
        return run(filter, Options.PLAIN, out);
    }

    /** Writes the dump; returns an {@link ExitCodes} value. */
    public int run(DumpFilter filter, Options options, Writer out) {
        MessageDigest sha256 = sha256();
        AffiliateTimeline timeline = options.decoding();
        try (LogScanner scanner = LogScanner.open(dataDir, keys); JsonGenerator g = Json.generator(out)) {
            ScanProgress progress = new ScanProgress("dump", options.progress(), options.clock(), scanner.recordCount());
            try {
                java.util.function.Consumer<CheckedEvent> visitor = ce -> {
                    progress.tick();
                    Event e = ce.event();
                    AffiliateTimeline.Entry entry = timeline != null && timeline.clusterId().equals(e.clusterId())
                            ? timeline.apply(e) : null;
                    if (filter.matches(e)) {
                        line(g, ce, entry, sha256);
                        if (options.follow() != null) {
                            flush(g);
                        }
                    }
                };
                if (options.follow() == null) {
                    scanner.scan(ChronicleEventLog.NO_INDEX, visitor);
                } else {
                    scanner.follow(ChronicleEventLog.NO_INDEX, visitor, options.follow());
                }
                progress.finish();
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

    private static void line(JsonGenerator g, CheckedEvent ce, AffiliateTimeline.Entry entry, MessageDigest sha256) {
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
                    g.writeNullField("dataSha256");
                } else {
                    g.writeNumberField("dataBytes", u.data().length);
                    g.writeStringField("dataSha256", HEX.formatHex(sha256.digest(u.data())));
                }
                g.writeNumberField("endpoints", u.endpoints().size());
                g.writeNumberField("endpointBytes", u.endpoints().stream().mapToInt(b -> b.length).sum());
                g.writeArrayFieldStart("endpointSha256");
                for (byte[] endpoint : u.endpoints()) {
                    g.writeString(HEX.formatHex(sha256.digest(endpoint)));
                }
                g.writeEndArray();
                g.writeStringField("expiresAt", Json.time(u.expiresAt()));
            } else if (e instanceof Event.EndpointsExpired x) {
                g.writeNumberField("expiredEndpoints", x.count());
            }
            if (entry != null) {
                decoded(g, e, entry);
            }
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The fields a cluster secret adds (see the class comment and docs/log-tools.md). */
    private static void decoded(JsonGenerator g, Event e, AffiliateTimeline.Entry entry) throws IOException {
        if (e instanceof Event.AffiliateUpdated u) {
            if (entry.decoded() != null) {
                g.writeFieldName("data");
                affiliate(g, entry.decoded());
            } else if (entry.undecodableData() != null) {
                g.writeStringField("dataUndecryptable", entry.undecodableData());
            }
            strings(g, "endpointsText", entry.updateEndpoints());
            if (entry.undecodableEndpoints() > 0) {
                g.writeNumberField("endpointsUndecryptable", entry.undecodableEndpoints());
            }
        }
        strings(g, "endpointsNow", entry.endpointsNow());
        AffiliateTimeline.Changes c = entry.changes();
        g.writeObjectFieldStart("changes");
        g.writeObjectFieldStart("fields");
        for (Map.Entry<String, String[]> f : c.fields().entrySet()) {
            g.writeObjectFieldStart(f.getKey());
            g.writeStringField("from", f.getValue()[0]);
            g.writeStringField("to", f.getValue()[1]);
            g.writeEndObject();
        }
        g.writeEndObject();
        strings(g, "addressesAdded", c.addressesAdded());
        strings(g, "addressesRemoved", c.addressesRemoved());
        strings(g, "endpointsAdded", c.endpointsAdded());
        strings(g, "endpointsRemoved", c.endpointsRemoved());
        g.writeEndObject();
    }

    static void affiliate(JsonGenerator g, DecodedAffiliate d) throws IOException {
        g.writeStartObject();
        g.writeStringField("nodeId", d.nodeId());
        g.writeStringField("hostname", d.hostname());
        g.writeStringField("nodename", d.nodename());
        g.writeStringField("machineType", d.machineType());
        g.writeStringField("operatingSystem", d.operatingSystem());
        strings(g, "addresses", d.addresses());
        if (d.kubespanPublicKey() == null) {
            g.writeNullField("kubespan");
        } else {
            g.writeObjectFieldStart("kubespan");
            g.writeStringField("publicKey", d.kubespanPublicKey());
            g.writeStringField("address", d.kubespanAddress());
            strings(g, "additionalAddresses", d.kubespanAdditionalAddresses());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void flush(JsonGenerator g) {
        try {
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
