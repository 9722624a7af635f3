package dev.discoveryd.service.cli;

import dev.discoveryd.eventlog.tools.DumpFilter;
import dev.discoveryd.eventlog.tools.LogDump;
import dev.discoveryd.eventlog.tools.LogStats;
import dev.discoveryd.eventlog.tools.LogVerify;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code discoveryd log dump|verify|stats}: audit the event log of a data directory (the service may be running). */
@Command(name = "log", description = "Audit the event log.", mixinStandardHelpOptions = true,
        subcommands = {LogCommand.Dump.class, LogCommand.Verify.class, LogCommand.Stats.class})
public final class LogCommand {

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "One JSON object per event: index, time, type, cluster, affiliate, sizes, expirations.")
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

        @Override
        public Integer call() throws Exception {
            Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            int code = new LogDump(store.dataDir(), store.keys()).run(new DumpFilter(cluster, affiliate, since, until), out);
            out.flush();
            return code;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every record's integrity and the chain; exit 0 when intact, else name the first bad record.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() {
            return new LogVerify(store.dataDir(), store.keys()).run(System.out);
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
}
