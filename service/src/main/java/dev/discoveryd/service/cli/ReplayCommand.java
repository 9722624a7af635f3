package dev.discoveryd.service.cli;

import dev.discoveryd.eventlog.tools.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    @Option(names = "--cluster", paramLabel = "ID", description = "only this cluster")
    String cluster;

    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
            description = "decrypt the --cluster's affiliates and endpoints with its secret, read from FILE (base64, as in"
                    + " the machine config); never printed or written")
    Path secretFile;

    @Mixin
    PartitionSource source = new PartitionSource();

    @Override
    public Integer call() throws Exception {
        if (secretFile != null && cluster == null) {
            throw new IllegalArgumentException("--cluster-secret-file needs --cluster: a secret belongs to one cluster");
        }
        SecretDecoder decoder = secretFile == null ? null : SecretDecoder.fromFile(secretFile);
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        Instant at = until != null ? until : Instant.now();
        if (source.kafka()) {
            int code = source.read(store.keys(), partition -> PartitionTools.replay(partition, at, cluster, decoder,
                    out, new PrintStream(System.err, true)));
            out.flush();
            return code;
        }
        int code = new Replayer(store.dataDir(), store.keys(), Clock.systemUTC()).run(at, cluster, decoder, out, new PrintStream(System.err, true));
        out.flush();
        return code;
    }
}
