package dev.discoveryd.nodeclient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliHelpTest {
    private static final List<CliCommand> COMMANDS = List.of(ListCommand.COMMAND, WatchCommand.COMMAND, PublishCommand.COMMAND);

    @Test
    void layout() {
        List<CliOption<?>> options = List.of(
                CliOption.value("URL", "Where the server is; a description long enough to wrap onto a second line of help.",
                        "--endpoint").require(),
                CliOption.list("IP", "Repeatable.", "--address"),
                CliOption.value("FORMAT", "Format (default: ${DEFAULT-VALUE}).", "-o", "--output").defaultValue("table"),
                CliOption.value("<aVeryLongLabel>", "Own line.", "--long-option-name"),
                CliOption.flag("A flag.", "--insecure"),
                CliOption.count("Louder.", "-v", "--verbose"),
                CliOption.flag("Help.", "-h", "--help"));
        assertThat(CliHelp.usage("tool sub", "Does one thing.", options, List.of())).isEqualTo("""
                Usage: tool sub [-hv] [--insecure] --endpoint=URL
                                [--long-option-name=<aVeryLongLabel>] [-o=FORMAT]
                                [--address=IP]...
                Does one thing.
                      --address=IP      Repeatable.
                      --endpoint=URL    Where the server is; a description long enough to wrap
                                          onto a second line of help.
                  -h, --help            Help.
                      --insecure        A flag.
                      --long-option-name=<aVeryLongLabel>
                                        Own line.
                  -o, --output=FORMAT   Format (default: table).
                  -v, --verbose         Louder.
                """);
    }

    @Test
    void topLevelHelpListsTheCommandsButNotTraining() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {}}) {
            Run help = run(args);
            assertThat(help.code).isZero();
            assertThat(help.out).startsWith("Usage: discovery-client [-hVv] [COMMAND]\n")
                    .contains("  -V, --version ", "  -v, --verbose ", "Commands:\n");
            COMMANDS.forEach(c -> assertThat(help.out).contains("  " + c.name() + " ", c.description()));
            assertThat(help.out).doesNotContain("train");
            assertFits(help.out);
        }
    }

    @Test
    void everyCommandsHelpShowsEveryOption() {
        for (CliCommand command : COMMANDS) {
            Run help = run(command.name(), "--help");
            assertThat(help.code).isZero();
            assertThat(help.err).isEmpty();
            assertThat(help.out).startsWith("Usage: discovery-client " + command.name() + " [-hv] ");
            for (CliOption<?> option : command.options()) {
                assertThat(help.out).contains(option.label() == null ? option.longName() : option.synopsis());
                option.names().forEach(name -> assertThat(help.out).contains(name));
                assertThat(help.out.replaceAll("\\s+", " ")).contains(option.description());
            }
            assertFits(help.out);
        }
        assertThat(run("publish", "-h").out).contains("--ttl=<ttl>", "(default: 30m)", "--wg-endpoint=IP:PORT]...");
    }

    @Test
    void aUsageErrorPrintsTheProblemThenTheCommandsUsage() {
        Run bad = run("list", "--endpoint", "x", "--cluster-id", "c", "--cluster-secret", "s", "-o", "xml");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.out).isEmpty();
        assertThat(bad.err).startsWith("Invalid value for option '--output': expected one of [table, json, yaml]"
                + " (case-sensitive) but was 'xml'\nUsage: discovery-client list ");
        Run missing = run("publish");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).startsWith("Missing required options: '--endpoint=URL_OR_HOST:PORT',"
                + " '--cluster-id=<clusterId>', '--cluster-secret=BASE64'\nUsage: discovery-client publish ");
        assertThat(run("--endpoint", "x", "list").err).startsWith("Unknown option: '--endpoint'\nUsage: discovery-client [-hVv]");
    }

    @Test
    void unknownCommandsWithASuggestionForATypo() {
        Run typo = run("lsit", "--insecure");
        assertThat(typo.code).isEqualTo(2);
        assertThat(typo.err).isEqualTo("Unmatched argument at index 0: 'lsit'\nDid you mean: discovery-client list?\n");
        assertThat(run("pubish").err).contains("Did you mean: discovery-client publish?");
        Run unknown = run("frobnicate");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err).startsWith("Unmatched argument at index 0: 'frobnicate'\nUsage: discovery-client");
        assertThat(Main.close("list", "lst")).isTrue();
        assertThat(Main.close("list", "lits")).isTrue();
        assertThat(Main.close("list", "lisst")).isTrue();
        assertThat(Main.close("list", "last")).isTrue();
        assertThat(Main.close("list", "ls")).isFalse();
        assertThat(Main.close("watch", "list")).isFalse();
    }

    @Test
    void version() {
        Run version = run("--version");
        assertThat(version.code).isZero();
        assertThat(version.out).startsWith("discovery-client ").endsWith("\n");
        assertThat(run("-V").out).isEqualTo(version.out);
    }

    private static void assertFits(String text) {
        text.lines().forEach(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
