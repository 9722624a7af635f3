package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.nodeclient.cli.CliArgs.UsageError;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/** {@code java -jar discovery-client.jar list|watch|publish ...}: the operator's view of a discovery cluster. */
public final class Main {
    private static final String NAME = "discovery-client";
    private static final String DESCRIPTION = "Talos-compatible discovery client: list, watch or publish a cluster's affiliates.";
    private static final CliOption<Boolean> HELP = CliOption.flag("Show this help message and exit.", "-h", "--help");
    private static final CliOption<Integer> VERBOSE = CliOption.count("Log connection events to stderr (repeat for debug).",
            "-v", "--verbose");
    private static final CliOption<Boolean> VERSION = CliOption.flag("Print version information and exit.", "-V", "--version");
    private static final List<CliOption<?>> OPTIONS = List.of(HELP, VERBOSE, VERSION);
    private static final List<CliCommand> COMMANDS = List.of(ListCommand.COMMAND, WatchCommand.COMMAND,
            PublishCommand.COMMAND, TrainCommand.COMMAND);

    private Main() {
    }

    public static void main(String[] args) {
        configureLogging(args);
        configureForOneShot();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command; returns its exit code (0 ok, 1 failure, 2 usage). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        int at = 0;
        while (at < args.length && args[at].startsWith("-") && !args[at].equals("--")) {
            at++;
        }
        String topUsage = CliHelp.usage(NAME, DESCRIPTION, OPTIONS, COMMANDS);
        CliArgs top;
        try {
            top = CliArgs.parse(OPTIONS, Arrays.copyOf(args, at), 0);
        } catch (UsageError e) {
            return usageError(err, e, topUsage);
        }
        if (top.has(HELP) || (at == args.length && !top.has(VERSION))) {
            return print(out, topUsage);
        }
        if (top.has(VERSION)) {
            String version = Main.class.getPackage().getImplementationVersion();
            return print(out, NAME + " " + (version == null ? "dev" : version) + "\n");
        }
        String name = args[at];
        CliCommand command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            String unmatched = "Unmatched argument at index " + at + ": '" + name + "'";
            return COMMANDS.stream().filter(c -> !c.hidden() && close(c.name(), name)).findFirst()
                    .map(c -> usageError(err, new UsageError(unmatched + "\nDid you mean: " + NAME + " " + c.name() + "?"), ""))
                    .orElseGet(() -> usageError(err, new UsageError(unmatched), topUsage));
        }
        String usage = CliHelp.usage(NAME + " " + command.name(), command.description(), command.options(), List.of());
        CliArgs parsed;
        try {
            parsed = CliArgs.parse(command.options(), args, at + 1);
        } catch (UsageError e) {
            return usageError(err, e, usage);
        }
        if (parsed.has(ConnectionOptions.HELP)) {
            return print(out, usage);
        }
        try {
            return command.action().run(parsed, out);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
            err.println("error: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            err.flush();
            return 1;
        }
    }

    /** A typo of a command name: one letter dropped, added, changed or two swapped. */
    static boolean close(String command, String typed) {
        int[] previous = new int[typed.length() + 1];
        int[] before = new int[typed.length() + 1];
        int[] current = new int[typed.length() + 1];
        for (int j = 0; j <= typed.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= command.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= typed.length(); j++) {
                int cost = command.charAt(i - 1) == typed.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && command.charAt(i - 1) == typed.charAt(j - 2) && command.charAt(i - 2) == typed.charAt(j - 1)) {
                    current[j] = Math.min(current[j], before[j - 2] + 1);
                }
            }
            int[] oldest = before;
            before = previous;
            previous = current;
            current = oldest;
        }
        return previous[typed.length()] <= 1;
    }

    private static int print(PrintWriter out, String text) {
        out.print(text);
        out.flush();
        return 0;
    }

    private static int usageError(PrintWriter err, UsageError e, String usage) {
        err.println(e.getMessage());
        err.print(usage);
        err.flush();
        return 2;
    }

    /** Before anything asks SLF4J for a logger: the CLI's own provider, at the level the {@code -v}s ask for. */
    private static void configureLogging(String[] args) {
        long v = Arrays.stream(args).filter(a -> a.equals("-v") || a.equals("--verbose")).count()
                + Arrays.stream(args).filter(a -> a.equals("-vv")).count() * 2;
        System.setProperty(CliLogging.LEVEL_PROPERTY, v == 0 ? "WARN" : v == 1 ? "INFO" : "DEBUG");
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", CliLogging.class.getName());
            System.setProperty("slf4j.internal.verbosity", "WARN"); // else SLF4J announces the provider on stderr
        }
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
}
