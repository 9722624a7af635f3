package dev.discoveryd.service;

import dev.discoveryd.service.cli.HistoryCommand;
import dev.discoveryd.service.cli.LogCommand;
import dev.discoveryd.service.cli.ReplayCommand;
import dev.discoveryd.service.cli.SnapshotCommand;
import dev.discoveryd.service.cli.TrainCommand;
import dev.discoveryd.service.config.ServeOptions;
import dev.discoveryd.service.persistence.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar discoveryd.jar [flags]}: runs the service until SIGTERM or SIGINT, then exits 0. */
@Command(name = "discoveryd", mixinStandardHelpOptions = true, version = "discoveryd 0.1.0",
        description = "Talos-compatible cluster discovery service with a durable, encrypted event log.",
        subcommands = {LogCommand.class, HistoryCommand.class, ReplayCommand.class, SnapshotCommand.class, TrainCommand.class})
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Mixin
    ServeOptions options = new ServeOptions();

    public static void main(String[] args) {
        // Chronicle reads these when its classes load; a jar manifest cannot set system properties.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        CommandLine cli = new CommandLine(new Main()).setPosixClusteredShortOptionsAllowed(false);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof StartupException) {
                LOG.error("cannot start: {}", e.getMessage());
                return 1;
            }
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DiscoveryServer server = DiscoveryServer.start(options.toConfig(), options.toOpsConfig(), Clock.systemUTC());
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        stop.await();
        LOG.info("shutting down");
        server.close();
        return 0;
    }
}
