package dev.discoveryd.service.e2e;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged service jar in its own JVM, as an operator runs it. */
final class JarProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving gRPC on 127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final int port;
    /** Everything the process printed so far (stdout and stderr), growing while it runs. */
    final StringBuffer output;

    private final Thread reader;

    private JarProcess(Process process, int port, StringBuffer output, Thread reader) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.reader = reader;
    }

    static Path jar() {
        Path jar = Path.of("target/discoveryd.jar");
        if (!Files.exists(jar)) {
            throw new AssertionError("target/discoveryd.jar is missing: run through `mvn verify` (package comes first)");
        }
        return jar;
    }

    /** Runs a tool subcommand of the jar (e.g. log verify) to its end; returns its exit code and output. */
    static ToolRun tool(String... args) throws Exception {
        return toolWith(List.of(), args);
    }

    /** As {@link #tool}, with JVM options before {@code -jar}. */
    static ToolRun toolWith(List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar discoveryd.jar " + String.join(" ", args) + " did not end within 180 s");
        }
        return new ToolRun(p.exitValue(), out);
    }

    record ToolRun(int exitCode, String output) {
    }

    static JarProcess start(String... flags) throws Exception {
        return startWithHeap("512m", flags);
    }

    /** As {@link #start}, with {@code -Xmx<heap>}. */
    static JarProcess startWithHeap(String heap, String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--ip-rate-limit=0"));
        all.addAll(List.of(flags));
        return start(List.of("-Xmx" + heap), all);
    }

    /** With JVM options before {@code -jar} and exactly the service flags given (no defaults added). */
    static JarProcess start(List<String> jvm, List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm.stream().anyMatch(o -> o.startsWith("-Xmx")) ? jvm : concat(List.of("-Xmx512m"), jvm));
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(flags);
        return launch(cmd);
    }

    /**
     * The service's main class in its own JVM on this test's class path, for tests that run before the jar is
     * packaged: with the module flags this JVM was given (Chronicle needs them), {@code -Xmx256m} and the flags.
     */
    static JarProcess fromClassPath(List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        for (String option : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("--add-") || option.startsWith("--enable-native-access")
                    || option.startsWith("--sun-misc-unsafe-memory-access")) {
                cmd.add(option);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.discoveryd.service.Main"));
        cmd.addAll(flags);
        return launch(cmd);
    }

    private static JarProcess launch(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            port.completeExceptionally(new AssertionError("the service exited before listening:\n" + out));
        });
        reader.setDaemon(true);
        reader.start();
        return new JarProcess(p, port.get(60, TimeUnit.SECONDS), out, reader);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(5000);
    }

    /** SIGTERM, and the exit code. */
    int terminate() throws InterruptedException {
        // Through the handle: Process.destroy() also closes our end of its output, losing what it prints on the way out.
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 30 s of SIGTERM");
        }
        reader.join(5000); // everything it printed is in output
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
