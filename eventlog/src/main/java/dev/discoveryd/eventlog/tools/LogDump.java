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
        try (JsonGenerator g = Json.generator(out)) {
            return run(filter, options, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the dump as UTF-8 to {@code out} (left open); returns an {@link ExitCodes} value. */
    public int run(DumpFilter filter, Options options, java.io.OutputStream out) {
        try (JsonGenerator g = Json.generator(out)) {
            return run(filter, options, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Dumps what {@code source} delivers (a partition of the replicated log) as {@link #run} dumps the local log: the
     * same lines, {@code index} being the record's offset; a bad record ends it with an error line.
     */
    public static int run(EventSource source, DumpFilter filter, AffiliateTimeline timeline, java.io.OutputStream out) {
        try (JsonGenerator g = Json.generator(out)) {
            Lines lines = new Lines(filter, timeline, g);
            try {
                source.scan(ce -> {
                    if (filter.matches(ce.event()) || (timeline != null && timeline.clusterId().equals(ce.event()
                            .clusterId()))) {
                        lines.accept(ce);
                    }
                });
                return ExitCodes.OK;
            } catch (RuntimeException e) {
                g.writeStartObject();
                g.writeStringField("error", String.valueOf(e.getMessage()));
                g.writeEndObject();
                g.writeRaw('\n');
                return EventSource.exitCodeOf(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int run(DumpFilter filter, Options options, JsonGenerator g) throws IOException {
        AffiliateTimeline timeline = options.decoding();
        try (LogScanner scanner = LogScanner.open(dataDir, keys)) {
            ScanProgress progress = new ScanProgress("dump", options.progress(), options.clock(), scanner.recordCount());
            // Events a line is written for, or that the timeline must see.
            java.util.function.Predicate<Event> wanted = e -> filter.matches(e)
                    || (timeline != null && timeline.clusterId().equals(e.clusterId()));
            Lines lines = new Lines(filter, timeline, g);
            try {
                if (options.follow() == null) {
                    scanPipelined(scanner, wanted, progress, lines);
                } else {
                    scanner.follow(ChronicleEventLog.NO_INDEX, ce -> {
                        progress.tick();
                        if (wanted.test(ce.event())) {
                            lines.accept(ce);
                            flush(g);
                        }
                    }, options.follow());
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
            g.writeStartObject();
            g.writeStringField("error", e.getMessage());
            g.writeEndObject();
            g.writeRaw('\n');
            return ExitCodes.UNUSABLE;
        }
    }

    /** Writes the lines (and feeds the timeline) in log order; runs on one thread at a time. */
    private static final class Lines implements java.util.function.Consumer<CheckedEvent> {
        private final DumpFilter filter;
        private final AffiliateTimeline timeline;
        private final JsonGenerator g;
        private final MessageDigest sha256 = sha256();

        Lines(DumpFilter filter, AffiliateTimeline timeline, JsonGenerator g) {
            this.filter = filter;
            this.timeline = timeline;
            this.g = g;
        }

        @Override
        public void accept(CheckedEvent ce) {
            Event e = ce.event();
            AffiliateTimeline.Entry entry = timeline != null && timeline.clusterId().equals(e.clusterId())
                    ? timeline.apply(e) : null;
            if (filter.matches(e)) {
                line(g, ce, entry, sha256);
            }
        }
    }

    private static final int BATCH_EVENTS = 1024;
    private static final long BATCH_BYTES = 1 << 20;
    private static final int BATCHES_IN_FLIGHT = 4;
    private static final List<CheckedEvent> END = List.of();

    /**
     * Reads and authenticates on this thread (which owns the scanner) while a second thread formats and writes: on a
     * long log the two halves cost about the same, so a dump keeps up with start-up replay. Batches of at most
     * {@link #BATCH_EVENTS} events or {@link #BATCH_BYTES} record bytes, {@link #BATCHES_IN_FLIGHT} in flight: a few
     * MiB at most between the threads. The writer thread ends with the scan, whatever ends it.
     */
    private static void scanPipelined(LogScanner scanner, java.util.function.Predicate<Event> wanted,
                                      ScanProgress progress, Lines lines) {
        java.util.concurrent.BlockingQueue<List<CheckedEvent>> handoff =
                new java.util.concurrent.ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
        java.util.concurrent.atomic.AtomicReference<Throwable> writeFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (List<CheckedEvent> batch; (batch = handoff.take()) != END; ) {
                    if (writeFailure.get() == null) {
                        try {
                            batch.forEach(lines);
                        } catch (RuntimeException | Error e) {
                            writeFailure.set(e); // keep draining, so that the scan never blocks on a full hand-off
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "log-dump-writer");
        writer.setDaemon(true);
        writer.start();
        Batch batch = new Batch();
        try {
            scanner.scan(ChronicleEventLog.NO_INDEX, ce -> {
                progress.tick();
                if (!wanted.test(ce.event())) {
                    return;
                }
                batch.events.add(ce);
                batch.bytes += ce.storedBytes();
                if (batch.events.size() == BATCH_EVENTS || batch.bytes >= BATCH_BYTES) {
                    if (writeFailure.get() != null) {
                        throw new StopScan();
                    }
                    put(handoff, batch.events);
                    batch.events = new java.util.ArrayList<>(BATCH_EVENTS);
                    batch.bytes = 0;
                }
            });
        } catch (StopScan stop) {
            // the write failure is thrown below
        } finally {
            // Events before a bad record are still written, then the error line after them.
            if (!batch.events.isEmpty()) {
                put(handoff, batch.events);
            }
            put(handoff, END);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EventLogException("interrupted while writing the dump");
            }
        }
        Throwable failure = writeFailure.get();
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
    }

    private static final class Batch {
        List<CheckedEvent> events = new java.util.ArrayList<>(BATCH_EVENTS);
        long bytes;
    }

    /** Ends a scan early once writing failed (a closed pipe, a full disk). */
    private static final class StopScan extends RuntimeException {
        StopScan() {
            super(null, null, false, false);
        }
    }

    private static void put(java.util.concurrent.BlockingQueue<List<CheckedEvent>> handoff, List<CheckedEvent> batch) {
        try {
            handoff.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventLogException("interrupted while dumping the log");
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

}
