package dev.discoveryd.ops;

import static dev.discoveryd.ops.Args.arg;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Cold start of the real jar, as an operator launches it, on an empty data directory. For each launch command
 * (variant), in interleaved rounds: milliseconds from process start to the first answered Hello (polled from this,
 * already warm, process), to {@code /readyz} 200, and then at once a burst of 150 concurrent Hellos from one
 * address with 0.2 s deadlines over 10 connections: with the default limits (burst 60, 15/s) a service that is
 * fast from its first second answers about 62 and refuses the rest with RESOURCE_EXHAUSTED, none DEADLINE_EXCEEDED.
 *
 * <pre>ops/bench.sh coldstart [--rounds=5] [--burst=150] [--deadline-ms=200] 'name=command ...' ...</pre>
 * A command is split on spaces; the service flags (ports, data directory) are appended to it.
 */
public final class ColdStart {
    private static final String[] CODES = {"OK", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED", "other"};

    record Run(double helloMs, double cpuMs, double readyMs, Map<String, Integer> burst) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(arg(args, "rounds", "5"));
        int burst = Integer.parseInt(arg(args, "burst", "150"));
        int deadlineMs = Integer.parseInt(arg(args, "deadline-ms", "200"));
        Map<String, List<String>> variants = Args.launchVariants(args);
        // The client's own connection errors (its deadlines cancel streams) are not the point here.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.vertx")).setLevel(ch.qos.logback.classic.Level.OFF);
        Vertx vertx = Vertx.vertx();
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        variants.keySet().forEach(k -> runs.put(k, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                Run r = once(vertx, v.getValue(), burst, deadlineMs);
                runs.get(v.getKey()).add(r);
                System.out.printf("round %d %-10s first Hello %6.0f ms (CPU %6.0f ms)  ready %6.0f ms  burst %s%n",
                        round, v.getKey(), r.helloMs, r.cpuMs, r.readyMs, r.burst);
            }
        }
        System.out.printf("%nmedians over %d rounds (same run, interleaved):%n", rounds);
        double base = -1;
        for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
            double hello = median(e.getValue().stream().mapToDouble(Run::helloMs).toArray());
            double ready = median(e.getValue().stream().mapToDouble(Run::readyMs).toArray());
            double cpu = median(e.getValue().stream().mapToDouble(Run::cpuMs).toArray());
            base = base < 0 ? hello : base;
            StringBuilder b = new StringBuilder();
            for (String code : CODES) {
                b.append(' ').append(code).append(' ').append((int) median(e.getValue().stream()
                        .mapToDouble(r -> r.burst.getOrDefault(code, 0)).toArray()));
            }
            System.out.printf("%-10s first Hello %6.0f ms (%.2fx of %s), CPU %6.0f ms  ready %6.0f ms  burst:%s%n",
                    e.getKey(), hello, hello / base, runs.keySet().iterator().next(), cpu, ready, b);
        }
        vertx.close().await();
        System.exit(0);
    }

    private static Run once(Vertx vertx, List<String> command, int burst, int deadlineMs) throws Exception {
        Path dir = Files.createTempDirectory("discoveryd-coldstart");
        int grpc = Ports.free();
        int landing = Ports.free();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--addr=127.0.0.1:" + grpc, "--landing-addr=127.0.0.1:" + landing, "--metrics-addr=",
                "--data-dir=" + dir.resolve("data")));
        List<GrpcClient> clients = new ArrayList<>();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        CompletableFuture<Double> ready = CompletableFuture.supplyAsync(() -> readyMs(landing, t0));
        try {
            SocketAddress address = SocketAddress.inetSocketAddress(grpc, "127.0.0.1");
            double hello = -1;
            double cpu = -1;
            while (hello < 0) {
                if (!p.isAlive() || System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(180)) {
                    throw new IllegalStateException("no Hello answered: " + Files.readString(dir.resolve("out.log")));
                }
                GrpcClient poll = client(vertx);
                // A generous deadline: a cold service may take seconds over its very first answer.
                String code = hello(poll, address, "192.0.2.1", 20_000).toCompletionStage().toCompletableFuture().get();
                poll.close();
                if (code.equals("OK")) {
                    hello = (System.nanoTime() - t0) / 1e6;
                    cpu = ProcStats.cpuMillis(p.pid());
                } else {
                    Thread.sleep(5);
                }
            }
            // At once, as a fleet of reconnecting nodes would.
            for (int i = 0; i < 10; i++) {
                clients.add(client(vertx));
            }
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                calls.add(hello(clients.get(i % clients.size()), address, "192.0.2.2", deadlineMs));
            }
            Map<String, Integer> counts = new TreeMap<>();
            for (Future<String> call : calls) {
                counts.merge(call.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS), 1, Integer::sum);
            }
            return new Run(hello, cpu, ready.get(180, TimeUnit.SECONDS), counts);
        } finally {
            clients.forEach(GrpcClient::close);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static GrpcClient client(Vertx vertx) {
        // The client enforces the deadline itself, as grpc-go does: a late answer counts as DEADLINE_EXCEEDED.
        return GrpcClient.builder(vertx).with(new GrpcClientOptions().setScheduleDeadlineAutomatically(true))
                .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                        .setConnectTimeout(1000)).build();
    }

    /** One Hello from {@code ip} (X-Real-IP, trusted by default); completes with the gRPC code as a name. */
    private static Future<String> hello(GrpcClient client, SocketAddress address, String ip, int deadlineMs) {
        HelloRequest req = HelloRequest.newBuilder().setClusterId("coldstart").setClientVersion("coldstart").build();
        return client.request(address, ClusterGrpcClient.Hello).compose(r -> {
            r.headers().set("x-real-ip", ip);
            r.timeout(deadlineMs, TimeUnit.MILLISECONDS);
            return r.send(req);
        }).compose(GrpcClientResponse::end, Future::failedFuture).map(v -> "OK").recover(e -> Future.succeededFuture(code(e)));
    }

    private static String code(Throwable e) {
        String text = String.valueOf(e);
        for (GrpcStatus s : new GrpcStatus[] {GrpcStatus.RESOURCE_EXHAUSTED, GrpcStatus.DEADLINE_EXCEEDED}) {
            if (text.contains(s.name())) {
                return s.name();
            }
        }
        // The client's own deadline timer ends the stream with a timeout or a cancellation.
        return text.contains("imeout") || text.contains("CANCEL") ? "DEADLINE_EXCEEDED" : "other";
    }

    private static double readyMs(int landing, long t0) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + landing + "/readyz")).build();
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(180)) {
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1e6;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
            LockSupport.parkNanos(5_000_000);
        }
        return Double.NaN;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private ColdStart() {
    }
}
