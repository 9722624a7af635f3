package dev.discoveryd.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** {@code kubespan-agent run | get | events | down}; every subcommand inherits --help and --version. */
@Command(name = "kubespan-agent", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "kubespan-agent 0.1.0",
        description = "KubeSpan node agent: joins a Talos cluster's KubeSpan mesh as a peer.",
        subcommands = {RunCommand.class, GetCommand.class, EventsCommand.class, DownCommand.class})
public final class Main {
    public static void main(String[] args) {
        // Operator commands print results, not logs; the daemon logs at info (set before any logger exists).
        boolean daemon = args.length > 0 && args[0].equals("run");
        System.setProperty("agent.log.level", System.getProperty("agent.log.level", daemon ? "INFO" : "WARN"));
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setPosixClusteredShortOptionsAllowed(false);
    }
}
