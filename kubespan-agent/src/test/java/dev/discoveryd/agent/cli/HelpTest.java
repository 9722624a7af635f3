package dev.discoveryd.agent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kubespan-agent <command> --help} prints that command's usage and exits 0, without an error. */
class HelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"run", "get", "events", "down"})
    void everySubcommandAcceptsHelp(String command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int code = cli.execute(command, "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("Usage: kubespan-agent " + command).contains("--state-dir");
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "get"})
    void versionIsInheritedAndAnUnknownOptionIsStillAnError(String command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute(command, "--version")).isZero();
        assertThat(out.toString().strip()).isEqualTo("kubespan-agent 0.1.0");
        assertThat(cli.execute(command, "--no-such-option", "members")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option", "'--no-such-option'");
    }
}
