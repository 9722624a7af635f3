package dev.discoveryd.nodeclient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.nodeclient.fake.FakeDiscoveryServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shaded jar, run the way operators run it: {@code java -jar discovery-client.jar ...}. */
class CliJarIT {
    private static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String CLUSTER = "jar-test-cluster";
    private static final String NODE = "Utoh3O0ZneV0kT2IUBrh7TgdouRcUW2yzaaMl4VXnCd";

    @Test
    void publishListAndWatchThroughJavaDashJar() throws Exception {
        Path jar = Path.of(System.getProperty("cli.jar", "target/discovery-client.jar"));
        assertThat(jar).exists();
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext()) {
            List<String> common = List.of("--endpoint", server.url(), "--cluster-id", CLUSTER, "--cluster-secret", SECRET);

            Process watch = start(jar, "watch", common, "-o", "json");
            BufferedReader watchOut = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));

            Process publish = start(jar, "publish", common, "--node-id", NODE, "--hostname", "jar-node",
                    "--address", "192.0.2.10", "--wg-endpoint", "192.0.2.10:51820");
            // Deadlines for a loaded machine: each step starts a JVM of its own.
            assertThat(publish.waitFor(120, TimeUnit.SECONDS)).as("publish ended").isTrue();
            assertThat(publish.exitValue()).as(stderr(publish)).isZero();

            Process list = start(jar, "list", common, "-o", "json");
            String listed = within(120, () -> new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(list.waitFor(120, TimeUnit.SECONDS)).as("list ended").isTrue();
            assertThat(list.exitValue()).as(stderr(list)).isZero();
            JsonNode first = new ObjectMapper().readTree(listed).get(0);
            assertThat(first.get("hostname").asText()).isEqualTo("jar-node");
            assertThat(first.get("endpoints").get(0).asText()).isEqualTo("192.0.2.10:51820");

            String event = within(120, watchOut::readLine);
            assertThat(event).as("watch printed an event, " + stderr(watch)).isNotNull();
            assertThat(new ObjectMapper().readTree(event).get("affiliate").get("id").asText()).isEqualTo(NODE);
            watch.destroy();
            assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            STDERR.keySet().forEach(Process::destroyForcibly);
        }
    }

    private interface Read<T> {
        T read() throws IOException;
    }

    /** A blocking read with a deadline: the test fails, rather than hangs, when a process never writes. */
    private static <T> T within(int seconds, Read<T> read) throws Exception {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                result.complete(read.read());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "cli-output-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            return result.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no output within " + seconds + " s", e);
        }
    }

    private static Process start(Path jar, String command, List<String> common, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), command));
        cmd.addAll(common);
        cmd.addAll(List.of(extra));
        Path err = Files.createTempFile("cli-", ".err");
        Process process = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        STDERR.put(process, err);
        return process;
    }

    private static String stderr(Process p) throws IOException {
        return "stderr: " + Files.readString(STDERR.get(p));
    }

    private static final java.util.Map<Process, Path> STDERR = new java.util.concurrent.ConcurrentHashMap<>();
}
