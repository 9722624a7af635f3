package dev.discoveryd.agent.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A real JVM process, its output kept, and the jars the tests run (set by failsafe). */
final class Processes {
    /** Small-footprint flags the agent is measured with (README "Footprint"). */
    static final List<String> AGENT_JVM = List.of("-Xms8m", "-Xmx32m", "-Xss256k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=48m",
            "-XX:CompressedClassSpaceSize=16m", "-XX:MaxDirectMemorySize=16m", "-XX:-UsePerfData", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-Dio.netty.allocator.type=unpooled", "-Dio.netty.noPreferDirect=true");

    private Processes() {
    }

    static Path jar(String property) {
        Path jar = Path.of(System.getProperty(property, "missing-" + property));
        if (!Files.exists(jar)) {
            throw new AssertionError(jar + " is missing: run through `mvn verify` with the service and node-client modules");
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A started process whose output is collected; {@code ready} completes with the first line it matches. */
    static final class Running implements AutoCloseable {
        final Process process;
        final StringBuffer output = new StringBuffer();
        private final Thread reader;

        Running(List<String> command, Function<String, String> readyLine, CompletableFuture<String> ready) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.append(line).append('\n');
                        String match = readyLine.apply(line);
                        if (match != null) {
                            ready.complete(match);
                        }
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
                ready.completeExceptionally(new AssertionError("process exited before it was ready:\n" + output));
            });
            reader.setDaemon(true);
            reader.start();
        }

        long pid() {
            return process.pid();
        }

        /** SIGTERM, waiting for the exit. */
        int terminate() throws InterruptedException {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not stop within 30 s of SIGTERM:\n" + output);
            }
            reader.join(5000);
            return process.exitValue();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(5000);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                kill();
            }
        }
    }

    static List<String> command(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
