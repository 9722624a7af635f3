package dev.discoveryd.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees when the config or the state is wrong: one line, exit 2, nothing overwritten. */
class AgentErrorsIT {
    @TempDir
    Path dir;

    @Test
    void badConfigIsOneLineNamingTheField() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "machine:\n  network:\n    kubespan:\n      mtu: 1000\n");
        Run run = run("run", "--config", config.toString(), "--state-dir", dir.resolve("state").toString(), "--data-plane", "fake");
        assertThat(run.code).isEqualTo(2);
        assertThat(run.output.strip()).isEqualTo("error: config " + config + ": machine.network.kubespan.mtu: must be at least 1280, got 1000");
    }

    @Test
    void corruptIdentityIsOneLineAndTheFileIsKept() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path identity = state.resolve("node-identity.yaml");
        Files.writeString(identity, "nodeId: not base62!\n");
        Path config = dir.resolve("ok.yaml");
        Files.writeString(config, Configs.offline(1));
        Run run = run("run", "--config", config.toString(), "--state-dir", state.toString(), "--data-plane", "fake");
        assertThat(run.code).isEqualTo(2);
        assertThat(run.output.strip()).startsWith("error: " + identity + ": nodeId is not base62").doesNotContain("\n");
        assertThat(Files.readString(identity)).isEqualTo("nodeId: not base62!\n");
    }

    @Test
    void unknownDataPlaneIsOneLine() throws Exception {
        Path config = dir.resolve("ok.yaml");
        Files.writeString(config, Configs.offline(1));
        Run run = run("run", "--config", config.toString(), "--state-dir", dir.resolve("s").toString(), "--data-plane", "nope");
        assertThat(run.code).isEqualTo(2);
        assertThat(run.output.strip()).startsWith("error: no data plane named \"nope\" in this build (available: ").contains("fake");
    }

    private record Run(int code, String output) {
    }

    private static Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Processes.java(), "-XX:TieredStopAtLevel=1", "-jar",
                Processes.jar("agent.jar").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
