package dev.discoveryd.nodeclient.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar discovery-client.jar list|watch|publish ...}: the operator's view of a discovery cluster. */
@Command(name = "discovery-client", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Talos-compatible discovery client: list, watch or publish a cluster's affiliates.")
public final class Main implements Runnable {
    @Option(names = {"-v", "--verbose"}, description = "Log connection events to stderr (repeat for debug).")
    boolean[] verbose = new boolean[0];

    public static void main(String[] args) {
        configureLogging(args);
        configureForOneShot();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command; returns its exit code (0 ok, 1 failure, 2 usage). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Picocli builds a command's model by reflection: only the one asked for (all of them for help or a typo).
        String asked = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("list", ListCommand::new);
        commands.put("watch", WatchCommand::new);
        commands.put("publish", PublishCommand::new);
        commands.put("train", TrainCommand::new);
        commands.forEach((name, command) -> {
            if (asked.equals(name) || !commands.containsKey(asked)) {
                cli.addSubcommand(name, command.get());
            }
        });
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
            commandLine.getErr().println("error: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            commandLine.getErr().flush();
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    private static void configureLogging(String[] args) {
        long v = Arrays.stream(args).filter(a -> a.equals("-v") || a.equals("--verbose")).count()
                + Arrays.stream(args).filter(a -> a.equals("-vv")).count() * 2;
        System.setProperty(CliLogConfigurator.LEVEL_PROPERTY, v == 0 ? "WARN" : v == 1 ? "INFO" : "DEBUG");
    }

    /**
     * Netty and Vert.x settings for a process that lives a second (an operator's -D still wins): no JFR event
     * registration (Netty generates a class per event type at start), no pooled buffer arenas, the JDK's resolver
     * (it honours /etc/hosts and nsswitch, and spares Netty's DNS stack), no file cache directory in /tmp.
     */
    static void configureForOneShot() {
        for (String[] setting : new String[][] {
                {"io.netty.jfr.enabled", "false"},
                {"io.netty.allocator.type", "unpooled"},
                {"vertx.disableDnsResolver", "true"},
                {"vertx.disableFileCPResolving", "true"},
                {"vertx.disableFileCaching", "true"}}) {
            if (System.getProperty(setting[0]) == null) {
                System.setProperty(setting[0], setting[1]);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"discovery-client " + (version == null ? "dev" : version)};
        }
    }
}
