package dev.discoveryd.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kubespan-agent run | get | events | down}. */
@Command(name = "kubespan-agent", mixinStandardHelpOptions = true, version = "kubespan-agent 0.1.0",
        description = "KubeSpan node agent: joins a Talos cluster's KubeSpan mesh as a peer.",
        subcommands = {RunCommand.class, GetCommand.class, EventsCommand.class, DownCommand.class})
public final class Main {
    public static void main(String[] args) {
        // Operator commands print results, not logs; the daemon logs at info (set before any logger exists).
        boolean daemon = args.length > 0 && args[0].equals("run");
        System.setProperty("agent.log.level", System.getProperty("agent.log.level", daemon ? "INFO" : "WARN"));
        int code = new CommandLine(new Main()).setPosixClusteredShortOptionsAllowed(false).execute(args);
        System.exit(code);
    }
}
