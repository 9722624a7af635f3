package dev.discoveryd.agent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.control.ControlClient;
import dev.discoveryd.agent.control.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One agent jar process with the fake data plane, and a way to read its resources over its socket. */
final class AgentProcess implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("kubespan-agent running: node ID (\\S+),");

    final Path stateDir;
    final Path config;
    Processes.Running running;
    String nodeId;
    long startedNanos;
    long readyNanos;

    AgentProcess(Path stateDir, String configYaml) throws Exception {
        this.stateDir = stateDir;
        Files.createDirectories(stateDir);
        this.config = stateDir.resolveSibling(stateDir.getFileName() + ".yaml");
        Files.writeString(config, configYaml);
    }

    void reconfigure(String configYaml) throws Exception {
        Files.writeString(config, configYaml);
    }

    AgentProcess start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Processes.java()));
        cmd.addAll(Processes.AGENT_JVM);
        cmd.addAll(List.of("-jar", Processes.jar("agent.jar").toString(), "run", "--config", config.toString(),
                "--state-dir", stateDir.toString(), "--data-plane", "fake"));
        CompletableFuture<String> ready = new CompletableFuture<>();
        startedNanos = System.nanoTime();
        running = new Processes.Running(cmd, line -> {
            Matcher m = RUNNING.matcher(line);
            return m.find() ? m.group(1) : null;
        }, ready);
        nodeId = ready.get(60, TimeUnit.SECONDS);
        readyNanos = System.nanoTime();
        return this;
    }

    /** The resources of {@code type} (in {@code namespace}, empty for the default), as the socket sends them. */
    List<JsonNode> get(String type, String namespace) throws Exception {
        ObjectNode request = Wire.JSON.createObjectNode();
        request.put("op", "get");
        request.put("type", type);
        request.put("namespace", namespace);
        try (ControlClient client = ControlClient.open(stateDir, request)) {
            JsonNode first = client.next(Duration.ofSeconds(3)).orElseThrow();
            List<JsonNode> out = new ArrayList<>();
            first.get("resources").forEach(out::add);
            return out;
        }
    }

    List<JsonNode> get(String type) throws Exception {
        return get(type, "");
    }

    /** Runs the agent jar's CLI against this agent; returns exit code and stdout+stderr. */
    Cli cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Processes.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", Processes.jar("agent.jar").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", stateDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long t0 = System.nanoTime();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("CLI did not end: " + String.join(" ", args));
        }
        return new Cli(p.exitValue(), out, Duration.ofNanos(System.nanoTime() - t0));
    }

    record Cli(int code, String output, Duration took) {
    }

    int terminate() throws InterruptedException {
        return running.terminate();
    }

    @Override
    public void close() throws InterruptedException {
        if (running != null) {
            running.close();
        }
    }
}
