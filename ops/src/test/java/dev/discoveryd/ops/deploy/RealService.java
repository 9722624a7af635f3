package dev.discoveryd.ops.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real discoveryd jar as its own process, on ephemeral loopback ports read back from its log. */
final class RealService implements AutoCloseable {
    private static final Pattern GRPC = Pattern.compile("serving gRPC on [^\\s\"]*:(\\d+) ");
    private static final Pattern METRICS = Pattern.compile("metrics on [^\\s\"]*:(\\d+)\\\\?/metrics");
    private static final Pattern PAGES = Pattern.compile("pages on [^\\s\"]*:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    final int grpcPort;
    final int metricsPort;
    final int pagesPort;

    private RealService(Process process, Path log, int grpc, int metrics, int pages) {
        this.process = process;
        this.log = log;
        this.grpcPort = grpc;
        this.metricsPort = metrics;
        this.pagesPort = pages;
    }

    static RealService start(Path jar, Path logFile, String... flags) throws IOException, InterruptedException {
        return start(jar, logFile, List.of(), flags);
    }

    /** Starts {@code java [jvm] -jar discoveryd.jar} with loopback ports and {@code flags}; waits until it serves gRPC. */
    static RealService start(Path jar, Path logFile, List<String> jvm, String... flags)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0",
                "--metrics-addr=127.0.0.1:0"));
        args.addAll(List.of(flags));
        return startExactly(jar, logFile, jvm, args);
    }

    /** Starts the jar with exactly {@code args} (which must give loopback addresses with port 0). */
    static RealService startExactly(Path jar, Path logFile, List<String> jvm, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        try {
            return awaitServing(p, logFile);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static RealService awaitServing(Process p, Path logFile) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(logFile);
            Matcher g = GRPC.matcher(text);
            if (g.find()) {
                return new RealService(p, logFile, Integer.parseInt(g.group(1)), port(METRICS, text), port(PAGES, text));
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("discoveryd exited " + p.exitValue() + ":\n" + text);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("discoveryd did not start in 120 s:\n" + Files.readString(logFile));
    }

    private static int port(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    long pid() {
        return process.pid();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
