package dev.discoveryd.service;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class MainCommandLineTest {
    @Test
    void aPlainStartParsesTheServiceFlagsAloneAndKeepsThem() {
        CommandLine cli = Main.commandLine(new String[]{"--addr=127.0.0.1:4000", "--log-sync=always"});

        assertThat((Object) cli.getCommand()).isInstanceOf(Main.Serve.class);
        assertThat(cli.getSubcommands()).isEmpty();
        Main.Serve serve = cli.getCommand();
        assertThat(serve.options.toConfig().grpc().port()).isEqualTo(4000);
        assertThat((Object) Main.commandLine(new String[0]).getCommand()).isInstanceOf(Main.Serve.class);
    }

    @Test
    void subcommandsHelpAndVersionGetTheFullCommandLine() {
        for (String[] args : new String[][]{{"log", "verify"}, {"--data-dir=x", "snapshot", "inspect"}, {"--help"},
                {"-h"}, {"--version"}, {"-V"}, {"train"}}) {
            CommandLine cli = Main.commandLine(args);
            assertThat((Object) cli.getCommand()).as(String.join(" ", args)).isInstanceOf(Main.class);
            assertThat(cli.getSubcommands()).containsKeys("log", "history", "replay", "snapshot", "train");
        }
    }

    @Test
    void aFlagTheServiceDoesNotKnowIsReportedAsBeforeWithTheFullUsage() {
        CommandLine cli = Main.commandLine(new String[]{"--no-such-flag"});
        assertThat((Object) cli.getCommand()).isInstanceOf(Main.class);
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("--no-such-flag");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-flag'");
    }
}
