package dev.discoveryd.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ops/jvm.options is the service's heap and GC choice: every way of running the jar uses exactly it. */
class JvmOptionsTest {
    private static String options() throws Exception {
        String text = Files.readString(Tools.opsDir().resolve("jvm.options")).strip();
        assertThat(text).doesNotContain("\n");
        return text;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"container/Containerfile", "systemd/discoveryd.service", "kubernetes/base/statefulset.yaml"})
    void deploymentsCarryTheOptionsAndTheArenaCap(String file) throws Exception {
        String text = Files.readString(Tools.opsDir().resolve(file));
        // The whole set, not a prefix of a longer one: followed by a space, a quote or the end of the line.
        assertThat(text).containsPattern(Pattern.compile(Pattern.quote("-XX:MaxRAMPercentage=75 " + options()) + "( |\"|$)",
                Pattern.MULTILINE));
        assertThat(text).containsPattern("MALLOC_ARENA_MAX(=|\\s+value: )\"?2\\b");
    }

    @Test
    void runShReadsTheFile() throws Exception {
        String run = Files.readString(Tools.opsDir().getParent().resolve("run.sh"));
        assertThat(run).contains("$(cat ops/jvm.options)").contains("DISCOVERYD_JAVA_OPTS");
    }

    @Test
    void theRunningJvmAcceptsEveryOption() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(options().split("\\s+")));
        cmd.add("-version");
        Process java = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("warning");
    }
}
