package dev.discoveryd.nodeclient.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar discovery-client.jar list|watch|publish ...}: the operator's view of a discovery cluster. */
@Command(name = "discovery-client", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Talos-compatible discovery client: list, watch or publish a cluster's affiliates.",
        subcommands = {ListCommand.class, WatchCommand.class, PublishCommand.class})
public final class Main implements Runnable {
    @Option(names = {"-v", "--verbose"}, description = "Log connection events to stderr (repeat for debug).")
    boolean[] verbose = new boolean[0];

    public static void main(String[] args) {
        configureLogging(args);
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command; returns its exit code (0 ok, 1 failure, 2 usage). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
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
        System.setProperty("discovery.client.log.level", v == 0 ? "WARN" : v == 1 ? "INFO" : "DEBUG");
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "discovery-client-logback.xml");
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
