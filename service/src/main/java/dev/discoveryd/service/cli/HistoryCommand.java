package dev.discoveryd.service.cli;

import dev.discoveryd.eventlog.tools.AffiliateHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code discoveryd history --cluster C --affiliate A}: one node's timeline, decoded with the cluster secret. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"One node's timeline from the event log: what it announced (hostname, nodename, machine type,"
                + " addresses, KubeSpan key and address, endpoints) at each update, and what changed since the one before.",
                "Without --cluster-secret-file only times and sizes; blobs that do not decrypt are shown as such."})
public final class HistoryCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store = new StoreOptions();
    @Option(names = "--cluster", required = true, paramLabel = "ID", description = "the cluster")
    String cluster;
    @Option(names = "--affiliate", required = true, paramLabel = "ID", description = "the affiliate (node id)")
    String affiliate;
    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
            description = "the cluster's secret, read from FILE (base64, as in the machine config); never printed or written")
    Path secretFile;

    @Override
    public Integer call() {
        SecretDecoder decoder = secretFile == null ? null : SecretDecoder.fromFile(secretFile);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int code = new AffiliateHistory(store.dataDir(), store.keys())
                .run(cluster, affiliate, decoder, out, new PrintStream(System.err, true), Clock.systemUTC());
        out.flush();
        return code;
    }
}
