package dev.discoveryd.service.cli;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.LogHead;
import dev.discoveryd.eventlog.tools.AffiliateTimeline;
import dev.discoveryd.eventlog.tools.DumpFilter;
import dev.discoveryd.eventlog.tools.ExitCodes;
import dev.discoveryd.eventlog.tools.LogDump;
import dev.discoveryd.eventlog.tools.LogStats;
import dev.discoveryd.eventlog.tools.LogVerify;
import dev.discoveryd.service.persistence.KeyRingCipher;
import dev.discoveryd.service.persistence.StateStore;
import dev.discoveryd.snapshots.SnapshotBackup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code discoveryd log dump|verify|head|stats}: audit the event log of a data directory (the service may be running).
 */
@Command(name = "log", description = "Audit the event log.", mixinStandardHelpOptions = true,
        subcommands = {LogCommand.Dump.class, LogCommand.Verify.class, LogCommand.Head.class, LogCommand.Stats.class})
public final class LogCommand {
    private static final int SNAPSHOT_READ_ATTEMPTS = 3;

    /** The output formats of {@code log dump}: one JSON object per line (docs/log-tools.md). */
    enum DumpFormat { jsonl }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = {"One JSON object per event (schema: docs/log-tools.md): index, time, type, cluster, affiliate,"
                    + " sizes, blob hashes, expirations.",
                    "With --cluster and --cluster-secret-file, that cluster's events also show what the nodes announced"
                            + " (decrypted) and what changed since each affiliate's previous event."})
    static final class Dump implements Callable<Integer> {
        @Mixin
        StoreOptions store = new StoreOptions();
        @Option(names = "--cluster", paramLabel = "ID", description = "only this cluster")
        String cluster;
        @Option(names = "--affiliate", paramLabel = "ID", description = "only this affiliate")
        String affiliate;
        @Option(names = "--since", paramLabel = "RFC3339", converter = Times.class, description = "events at or after")
        Instant since;
        @Option(names = "--until", paramLabel = "RFC3339", converter = Times.class, description = "events at or before")
        Instant until;
        @Option(names = "--cluster-secret-file", paramLabel = "FILE",
                description = "decrypt the --cluster's affiliates with its secret, read from FILE (base64, as in the"
                        + " machine config); never printed or written")
        Path secretFile;
        @Option(names = {"-o", "--output"}, defaultValue = "jsonl", paramLabel = "FORMAT",
                description = "output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
        DumpFormat format;
        @Option(names = {"-f", "--follow"},
                description = "after the end, keep printing events as the service appends them (read-only; Ctrl-C ends)")
        boolean follow;
        @Mixin
        PartitionSource source = new PartitionSource();

        @Override
        public Integer call() throws Exception {
            AffiliateTimeline timeline = null;
            if (secretFile != null) {
                if (cluster == null) {
                    throw new IllegalArgumentException("--cluster-secret-file needs --cluster: a secret belongs to one cluster");
                }
                timeline = new AffiliateTimeline(cluster, SecretDecoder.fromFile(secretFile));
            }
            System.out.flush();
            if (source.kafka()) {
                if (follow) {
                    throw new IllegalArgumentException("--follow reads the local log only");
                }
                AffiliateTimeline decoding = timeline;
                java.io.OutputStream out = new java.io.BufferedOutputStream(System.out, 1 << 16);
                int code = source.read(store.keys(), partition -> LogDump.run(partition::scan,
                        new DumpFilter(cluster, affiliate, since, until), decoding, out));
                out.flush();
                return code;
            }
            // Straight to stdout in 64 KiB writes (System.out flushes every few bytes): a long log is gigabytes.
            java.io.OutputStream out = new java.io.BufferedOutputStream(System.out, 1 << 16);
            LogDump.Options options = new LogDump.Options(timeline, new PrintStream(System.err, true),
                    Clock.systemUTC(), follow ? () -> false : null);
            int code = new LogDump(store.dataDir(), store.keys())
                    .run(new DumpFilter(cluster, affiliate, since, until), options, out);
            out.flush();
            return code;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check every record's integrity and the chain, and that the log still reaches the head the"
                    + " latest snapshot recorded and every --anchor (records cut off the end are tamper too).",
                    "Exit 0 when intact, 1 naming the first bad record or the missing head, 2 when unreadable."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        StoreOptions store = new StoreOptions();
        @Option(names = "--anchor", paramLabel = "FILE",
                description = "a head exported earlier with `log head > FILE` (repeatable)")
        List<Path> anchors = new ArrayList<>();
        @Mixin
        PartitionSource source = new PartitionSource();

        @Override
        public Integer call() {
            KeyRing keys = store.keys();
            if (source.kafka()) {
                if (!anchors.isEmpty()) {
                    throw new IllegalArgumentException("--anchor checks the local log only");
                }
                return source.read(keys, partition -> PartitionTools.verify(partition, source.topic(),
                        store.dataDir(), keys, System.out));
            }
            List<LogVerify.Anchor> heads = new ArrayList<>();
            for (Path file : anchors) {
                heads.add(new LogVerify.Anchor(file.toString(), readAnchor(file)));
            }
            Path snapshots = store.dataDir().resolve(StateStore.SNAPSHOT_DIR);
            Optional<byte[]> recorded;
            try {
                recorded = snapshotHead(snapshots, keys);
            } catch (IOException e) {
                System.out.println("cannot verify: " + e.getMessage());
                return ExitCodes.UNUSABLE;
            }
            recorded.ifPresent(bytes -> heads.add(new LogVerify.Anchor("the snapshot " + snapshots, LogHead.fromBytes(bytes))));
            return new LogVerify(store.dataDir(), keys).run(heads, System.out, new PrintStream(System.err, true),
                    Clock.systemUTC());
        }
    }

    @Command(name = "head", mixinStandardHelpOptions = true,
            description = {"Verify the log and print its head (last record's index and chain mac) as one JSON line.",
                    "Keep it outside the machine (`log head > FILE`, e.g. in your SIEM); `log verify --anchor FILE` then"
                            + " finds records cut off the end, even without a snapshot. Holds no secret."})
    static final class Head implements Callable<Integer> {
        @Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() throws Exception {
            Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(System.err, true);
            int code = new LogVerify(store.dataDir(), store.keys()).head(out, err, err, Clock.systemUTC());
            out.flush();
            return code;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Events by type, clusters, time span, size on disk (JSON).")
    static final class Stats implements Callable<Integer> {
        @Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() throws Exception {
            Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            int code = new LogStats(store.dataDir(), store.keys()).run(out, new PrintStream(System.err, true));
            out.flush();
            return code;
        }
    }

    static LogHead readAnchor(Path file) {
        try {
            return LogHead.parseJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no anchor file at " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the anchor file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("anchor file " + file + ": " + e.getMessage());
        }
    }

    /** The head the snapshot in {@code dir} recorded; retried, since a running service may swap its files under us. */
    private static Optional<byte[]> snapshotHead(Path dir, KeyRing keys) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        KeyRingCipher cipher = new KeyRingCipher(keys);
        for (int attempt = 1; ; attempt++) {
            try {
                return SnapshotBackup.readLogHead(dir, cipher);
            } catch (IOException e) {
                if (attempt == SNAPSHOT_READ_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
