package dev.discoveryd.ops.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service jar in its own JVM on loopback: ports from its log, heap from its metrics, RSS from /proc. */
final class ServiceProcess implements AutoCloseable {
    private static final Pattern GRPC = Pattern.compile("serving gRPC on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern METRICS = Pattern.compile("metrics on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern PAGES = Pattern.compile("pages on 127\\.0\\.0\\.1:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Process process;
    final int grpcPort;
    final int metricsPort;
    final int pagesPort;
    /** ERROR lines and stack-trace lines ("\tat ...") the service printed. */
    private final AtomicInteger errors;
    private final AtomicInteger traces;

    private ServiceProcess(Process process, int grpcPort, int metricsPort, int pagesPort, AtomicInteger errors, AtomicInteger traces) {
        this.process = process;
        this.grpcPort = grpcPort;
        this.metricsPort = metricsPort;
        this.pagesPort = pagesPort;
        this.errors = errors;
        this.traces = traces;
    }

    int errors() {
        return errors.get();
    }

    int traces() {
        return traces.get();
    }

    static ServiceProcess start(Path jar, String heap, Path dataDir, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-jar", jar.toString(), "--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0",
                "--metrics-addr=127.0.0.1:0", "--data-dir=" + dataDir,
                // Attackers come from their own loopback addresses; no proxy headers are trusted.
                "--trust-x-real-ip=false", "--trust-first-x-forwarded-for=false"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger traces = new AtomicInteger();
        Thread reader = new Thread(() -> {
            int grpc = -1, metrics = -1, pages = -1;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.println(line);
                    if (line.contains(" ERROR ")) {
                        errors.incrementAndGet();
                    }
                    if (line.startsWith("\tat ")) {
                        traces.incrementAndGet();
                    }
                    grpc = port(GRPC, line, grpc);
                    metrics = port(METRICS, line, metrics);
                    pages = port(PAGES, line, pages);
                    if (grpc > 0 && metrics > 0 && pages > 0) {
                        ports.complete(new int[]{grpc, metrics, pages});
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            ports.completeExceptionally(new IllegalStateException("the service exited before listening; see " + log));
        }, "service-log");
        reader.setDaemon(true);
        reader.start();
        int[] got = ports.get(60, TimeUnit.SECONDS);
        return new ServiceProcess(p, got[0], got[1], got[2], errors, traces);
    }

    private static int port(Pattern pattern, String line, int current) {
        Matcher m = pattern.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : current;
    }

    /** Heap in use (bytes) from the service's own metrics; -1 when the scrape fails. */
    long heapUsed() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            long sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Resident set size in bytes, from /proc; -1 when unavailable. */
    long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
