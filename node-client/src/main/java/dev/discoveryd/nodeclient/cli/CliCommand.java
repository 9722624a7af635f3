package dev.discoveryd.nodeclient.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * A subcommand: its name, its one-line description and options (for parsing and {@code --help}), and what it does.
 *
 * @param hidden left out of the top-level help (the launcher's {@code train})
 */
record CliCommand(String name, String description, boolean hidden, List<CliOption<?>> options, Action action) {

    /** Runs the command on parsed arguments; returns its exit code. */
    @FunctionalInterface
    interface Action {
        int run(CliArgs args, PrintWriter out) throws Exception;
    }
}
