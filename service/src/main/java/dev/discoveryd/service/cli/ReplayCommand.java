package dev.discoveryd.service.cli;

import dev.discoveryd.eventlog.tools.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code discoveryd replay --until T}: the view as it was at T, as JSON. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Print the state as it was at a point in time (clusters, affiliates, base64 data and endpoints, expirations).")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--until", paramLabel = "RFC3339", converter = Times.class,
            description = "the point in time (default: now, i.e. the whole log)")
    Instant until;

    @Override
    public Integer call() throws Exception {
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        Instant at = until != null ? until : Instant.now();
        int code = new Replayer(store.dataDir(), store.keys(), Clock.systemUTC()).run(at, out, new PrintStream(System.err, true));
        out.flush();
        return code;
    }
}
