package dev.discoveryd.service;

import dev.discoveryd.service.cli.HistoryCommand;
import dev.discoveryd.service.cli.LogCommand;
import dev.discoveryd.service.cli.ReplayCommand;
import dev.discoveryd.service.cli.SnapshotCommand;
import dev.discoveryd.service.cli.TrainCommand;
import dev.discoveryd.service.config.ServeOptions;
import dev.discoveryd.service.persistence.StartupException;
import dev.discoveryd.service.schedule.ThreadScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code java -jar discoveryd.jar [flags]}: runs the service until SIGTERM or SIGINT, then exits 0. */
@Command(name = "discoveryd", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Talos-compatible cluster discovery service with a durable, encrypted event log.",
        subcommands = {LogCommand.class, HistoryCommand.class, ReplayCommand.class, SnapshotCommand.class, TrainCommand.class})
public final class Main implements Callable<Integer> {
    static final String VERSION = "discoveryd 0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Mixin
    ServeOptions options = new ServeOptions();

    public static void main(String[] args) {
        // Chronicle reads these when its classes load; a jar manifest cannot set system properties.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        CommandLine cli = commandLine(args);
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

    /**
     * The service's own flags only, when {@code args} name no subcommand and ask for no help or version: picocli
     * builds the model of every subcommand and option it is given (old bytecode, so never in the start-up cache), and
     * at a cold start that was ~0.5-0.7 s against ~0.2-0.3 s for the service's flags alone, on the way to the state
     * being loaded. Anything the short form does not parse gets the full command line, so its messages are the same.
     */
    static CommandLine commandLine(String[] args) {
        if (servesOnly(args)) {
            CommandLine serve = new CommandLine(new Serve()).setPosixClusteredShortOptionsAllowed(false);
            try {
                serve.parseArgs(args);
                return serve;
            } catch (CommandLine.ParameterException e) {
                // below: the full command line reports it, with its usage
            }
        }
        return new CommandLine(new Main()).setPosixClusteredShortOptionsAllowed(false);
    }

    private static boolean servesOnly(String[] args) {
        Command main = Main.class.getAnnotation(Command.class);
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) {
                return false;
            }
            for (Class<?> sub : main.subcommands()) {
                if (arg.equals(sub.getAnnotation(Command.class).name())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code discoveryd [flags]} without its subcommands (see {@link #commandLine}). */
    @Command(name = "discoveryd", mixinStandardHelpOptions = true, version = VERSION)
    static final class Serve implements Callable<Integer> {
        @Mixin
        ServeOptions options = new ServeOptions();

        @Override
        public Integer call() throws Exception {
            return serve(options);
        }
    }

    @Override
    public Integer call() throws Exception {
        return serve(options);
    }

    private static int serve(ServeOptions options) throws Exception {
        DiscoveryServer server = DiscoveryServer.start(options.toConfig(), options.toOpsConfig(), Clock.systemUTC());
        Shutdown shutdown = new Shutdown(new ThreadScheduler("discoveryd-shutdown-watchdog"), Shutdown.LIMIT,
                code -> Runtime.getRuntime().halt(code));
        Signal.handle(new Signal("TERM"), s -> shutdown.signal("TERM"));
        Signal.handle(new Signal("INT"), s -> shutdown.signal("INT"));
        int code = shutdown.awaitThenClose(server);
        if (code != 0) {
            // The close did not finish: whatever it left running (the event loops are not daemons) must not keep
            // the process alive.
            Runtime.getRuntime().halt(code);
        }
        return code;
    }
}
