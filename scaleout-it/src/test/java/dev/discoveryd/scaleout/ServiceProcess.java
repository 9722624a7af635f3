package dev.discoveryd.scaleout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The real discoveryd jar as a process of its own (so that it can be SIGKILLed), output in a file. */
final class ServiceProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving gRPC on 127\\.0\\.0\\.1:(\\d+)");

    final String endpoint;
    private final Process process;
    private final Path output;

    private ServiceProcess(String endpoint, Process process, Path output) {
        this.endpoint = endpoint;
        this.process = process;
        this.output = output;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("service.jar", "../service/target/discoveryd.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service module first");
        }
        return jar;
    }

    /** Starts the jar listening on {@code port} with {@code flags}; returns once it serves gRPC. */
    static ServiceProcess start(int port, Path output, List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar().toString(), "--addr=127.0.0.1:" + port,
                "--landing-addr=", "--metrics-addr=", "--ip-rate-limit=0"));
        cmd.addAll(flags);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        ServiceProcess started = new ServiceProcess("127.0.0.1:" + port, p, output);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!SERVING.matcher(started.output()).find()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("the service did not start:\n" + started.output());
            }
            Thread.sleep(100);
        }
        return started;
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL: no shutdown hook, no goodbye to the group, an open transaction left behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
