package dev.discoveryd.nodeclient.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.api.GoDuration;
import dev.discoveryd.nodeclient.cli.CliArgs.UsageError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliArgsTest {
    static final CliOption<String> NAME = CliOption.value("NAME", "A name.", "-n", "--name").require();
    static final CliOption<String> COMMENT = CliOption.value("TEXT", "A comment.", "--comment");
    static final CliOption<String> ADDRESS = CliOption.list("IP", "An address.", "--address");
    static final CliOption<Duration> TTL = CliOption.value("DURATION", "TTL (default: ${DEFAULT-VALUE}).", "--ttl")
            .as(GoDuration::parse).defaultValue("30m");
    static final CliOption<OutputFormat> OUTPUT = CliOption.value("FORMAT", "Format.", "-o", "--output")
            .as(OutputFormat::parse).defaultValue("table");
    static final CliOption<Boolean> INSECURE = CliOption.flag("Plaintext.", "--insecure");
    static final CliOption<Integer> VERBOSE = CliOption.count("Louder.", "-v", "--verbose");
    static final CliOption<Boolean> HELP = CliOption.flag("Help.", "-h", "--help");
    static final List<CliOption<?>> OPTIONS = List.of(NAME, COMMENT, ADDRESS, TTL, OUTPUT, INSECURE, VERBOSE, HELP);

    @Test
    void valuesSeparateOrAfterAnEqualsSign() throws Exception {
        CliArgs spaced = parse("--name", "a", "--ttl", "90s", "--output", "json");
        CliArgs joined = parse("--name=a", "--ttl=90s", "--output=json");
        for (CliArgs args : List.of(spaced, joined)) {
            assertThat(args.get(NAME)).isEqualTo("a");
            assertThat(args.get(TTL)).isEqualTo(Duration.ofSeconds(90));
            assertThat(args.get(OUTPUT)).isEqualTo(OutputFormat.json);
        }
        assertThat(parse("--name=x=y").get(NAME)).as("only the first = splits").isEqualTo("x=y");
        assertThat(parse("--name=").get(NAME)).isEmpty();
    }

    @Test
    void shortOptionsTakeTheirValueAttachedSeparateOrAfterEquals() throws Exception {
        assertThat(parse("-n", "a", "-o", "yaml").get(OUTPUT)).isEqualTo(OutputFormat.yaml);
        assertThat(parse("-na", "-ojson").get(OUTPUT)).isEqualTo(OutputFormat.json);
        assertThat(parse("-n=a", "-o=json").get(NAME)).isEqualTo("a");
    }

    @Test
    void countedFlagsRepeatAndCluster() throws Exception {
        assertThat(parse("-n", "a").count(VERBOSE)).isZero();
        assertThat(parse("-n", "a", "-v").count(VERBOSE)).isEqualTo(1);
        assertThat(parse("-n", "a", "-vv", "--verbose").count(VERBOSE)).isEqualTo(3);
        CliArgs clustered = parse("-vvna");
        assertThat(clustered.count(VERBOSE)).isEqualTo(2);
        assertThat(clustered.get(NAME)).as("a value option ends a cluster and takes the rest").isEqualTo("a");
    }

    @Test
    void flagsAndRepeatableOptions() throws Exception {
        CliArgs args = parse("--address", "10.0.0.1", "--name", "a", "--insecure", "--address=10.0.0.2");
        assertThat(args.has(INSECURE)).isTrue();
        assertThat(args.all(ADDRESS)).containsExactly("10.0.0.1", "10.0.0.2");
        CliArgs none = parse("--name", "a");
        assertThat(none.has(INSECURE)).isFalse();
        assertThat(none.all(ADDRESS)).isEmpty();
    }

    @Test
    void defaultsAreConvertedAndAnAbsentOptionIsNull() throws Exception {
        CliArgs args = parse("--name", "a");
        assertThat(args.get(TTL)).isEqualTo(Duration.ofMinutes(30));
        assertThat(args.get(OUTPUT)).isEqualTo(OutputFormat.table);
        assertThat(args.get(COMMENT)).isNull();
        assertThat(TTL.description()).isEqualTo("TTL (default: 30m).");
    }

    @Test
    void doubleDashEndsTheOptions() {
        assertError("Unmatched argument at index 3: '--insecure'", "--name", "a", "--", "--insecure");
    }

    @Test
    void requiredOptionsAreNamedInOrder() {
        CliOption<String> second = CliOption.value("<second>", "Second.", "--second").require();
        assertThatThrownBy(() -> CliArgs.parse(List.of(NAME, second), new String[0], 0))
                .isInstanceOf(UsageError.class)
                .hasMessage("Missing required options: '--name=NAME', '--second=<second>'");
        assertThatThrownBy(() -> CliArgs.parse(List.of(NAME, second), new String[] {"--second", "b"}, 0))
                .hasMessage("Missing required option: '--name=NAME'");
    }

    @Test
    void helpNeedsNoRequiredOption() throws Exception {
        assertThat(parse("--help").has(HELP)).isTrue();
        assertThat(parse("-h").has(HELP)).isTrue();
    }

    @Test
    void unknownOptionsAndStrayWords() {
        assertError("Unknown option: '--nmae'", "--nmae", "a");
        assertError("Unknown option: '--nmae'", "--nmae=a");
        assertError("Unknown option: '-x'", "-x");
        assertError("Unknown option: '-x' in '-vx'", "-vx");
        assertError("Unmatched argument at index 2: 'extra'", "--name", "a", "extra");
        assertError("Unmatched argument at index 0: '-'", "-");
    }

    @Test
    void positionsInErrorsCountFromTheWholeCommandLine() {
        assertThatThrownBy(() -> CliArgs.parse(OPTIONS, new String[] {"list", "--name", "a", "stray"}, 1))
                .hasMessage("Unmatched argument at index 3: 'stray'");
    }

    @Test
    void aMissingValue() {
        assertError("Missing required parameter for option '--name' (NAME)", "--name");
        assertError("Missing required parameter for option '--name' (NAME)", "-n");
        assertError("Expected parameter for option '--name' but found '--insecure'", "--name", "--insecure");
        assertError("Expected parameter for option '--name' but found '-o=json'", "-n", "-o=json");
    }

    @Test
    void aValueThatLooksLikeNoOptionIsAValue() throws Exception {
        assertThat(parse("--name", "-not-an-option").get(NAME)).isEqualTo("-not-an-option");
    }

    @Test
    void singleOptionsOnlyOnce() {
        assertError("option '--name' (NAME) should be specified only once", "--name", "a", "-n", "b");
        assertError("option '--insecure' should be specified only once", "--name", "a", "--insecure", "--insecure");
        assertError("Option '--insecure' takes no value, but was given 'yes'", "--name", "a", "--insecure=yes");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        assertError("Invalid value for option '--output': expected one of [table, json, yaml] (case-sensitive) but was 'xml'",
                "--name", "a", "-o", "xml");
        assertError("Invalid value for option '--ttl': invalid duration \"ten minutes\" (examples: 500ms, 10s, 1m, 1h30m)",
                "--name", "a", "--ttl", "ten minutes");
        assertError("Invalid value for option '--output': expected one of [table, json, yaml] (case-sensitive) but was 'JSON'",
                "--name", "a", "--output=JSON");
    }

    private static CliArgs parse(String... args) throws UsageError {
        return CliArgs.parse(OPTIONS, args, 0);
    }

    private static void assertError(String message, String... args) {
        assertThatThrownBy(() -> parse(args)).isInstanceOf(UsageError.class).hasMessage(message);
    }
}
