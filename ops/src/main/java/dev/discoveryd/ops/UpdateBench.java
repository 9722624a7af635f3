package dev.discoveryd.ops;

import static dev.discoveryd.ops.Args.arg;

import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.GoDuration;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The update workloads against the real jar, each server its own process (fresh data directory, default JVM
 * options), load from this one: updates to one cluster of 1000 affiliates (a cluster booting or reconnecting at once),
 * updates spread over 10k clusters, and the latency of a lone update (one at a time). Every storage mode, and every
 * jar given (e.g. before and after a change), in interleaved rounds; the summary gives each mode's rate against the
 * in-memory mode of the same jar and round, and each jar's against the first jar's, as medians over the rounds.
 *
 * <pre>java -cp ops/target/loadgen.jar dev.discoveryd.ops.UpdateBench [--jars=name=path,...]
 *     [--modes=memory,periodic,always] [--rounds=3] [--duration=8s] [--warmup=4s] [--connections=8] [--inflight=32]
 *     [--workloads=one-cluster,10k-clusters,lone] [--server-flags=--flag=value,...] [--warmup-server=true]</pre>
 */
public final class UpdateBench {
    private static final Pattern GRPC = Pattern.compile("serving gRPC on 127\\.0\\.0\\.1:(\\d+)");
    private static final int HOT_AFFILIATES = 1000;
    private static final int SPREAD_CLUSTERS = 10_000;

    public static void main(String[] args) throws Exception {
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String j : arg(args, "jars", "this=service/target/discoveryd.jar").split(",")) {
            String[] kv = j.split("=", 2);
            jars.put(kv.length == 2 ? kv[0] : "jar" + jars.size(), Path.of(kv[kv.length - 1]));
        }
        List<String> modes = List.of(arg(args, "modes", "memory,periodic,always").split(","));
        List<String> workloads = List.of(arg(args, "workloads", "one-cluster,10k-clusters,lone").split(","));
        int rounds = Integer.parseInt(arg(args, "rounds", "3"));
        Duration duration = GoDuration.parse(arg(args, "duration", "8s"));
        Duration warmup = GoDuration.parse(arg(args, "warmup", "4s"));
        int connections = Integer.parseInt(arg(args, "connections", "8"));
        int inflight = Integer.parseInt(arg(args, "inflight", "32"));
        String extra = arg(args, "server-flags", "");
        boolean warmupServer = Boolean.parseBoolean(arg(args, "warmup-server", "true"));
        System.out.printf("update workloads: %d cores, jars %s, modes %s, %d rounds; %d connections x %d in flight, "
                        + "%s per workload after %s warm-up; lone update: 1 x 1%n",
                Runtime.getRuntime().availableProcessors(), jars, modes, rounds, connections, inflight,
                GoDuration.format(duration), GoDuration.format(warmup));
        Requests requests = new Requests(Math.max(connections, 1));
        // results[jar][mode][workload] = list over rounds
        Map<String, Map<String, Map<String, List<Figures>>>> results = new LinkedHashMap<>();
        if (warmupServer) {
            // Not reported, as in Compare: the first server of a run came out 4-6x slower than the same jar and mode
            // later (this JVM's client code not yet compiled, files not yet cached), which skewed its ratios.
            System.out.println("== warm-up: one in-memory server, not reported");
            runServer(jars.values().iterator().next(), "memory", extra, workloads, requests, connections, inflight,
                    Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
        for (int round = 1; round <= rounds; round++) {
            System.out.println("== round " + round + " of " + rounds);
            for (String mode : modes) {
                for (Map.Entry<String, Path> jar : jars.entrySet()) {
                    Map<String, Figures> got = runServer(jar.getValue(), mode, extra, workloads, requests, connections,
                            inflight, warmup, duration);
                    got.forEach((w, f) -> {
                        results.computeIfAbsent(jar.getKey(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(mode, k -> new LinkedHashMap<>())
                                .computeIfAbsent(w, k -> new ArrayList<>()).add(f);
                        System.out.printf("%-8s %-9s %-13s %s%n", jar.getKey(), mode, w, f);
                    });
                }
            }
        }
        summary(results, jars, modes, workloads);
        System.exit(0);
    }

    /** One workload's figures: rate, client-side latency, and the server process's CPU per update. */
    record Figures(double perSecond, double p50ms, double p99ms, long errors, double serverCpuMicros) {
        @Override
        public String toString() {
            return String.format("%8.0f updates/s  p50 %7.3f ms  p99 %7.3f ms  server CPU %6.1f µs/update  errors %d",
                    perSecond, p50ms, p99ms, serverCpuMicros, errors);
        }
    }

    private static Map<String, Figures> runServer(Path jar, String mode, String extra, List<String> workloads,
                                                  Requests requests, int connections, int inflight, Duration warmup,
                                                  Duration duration) throws Exception {
        Path dir = Files.createTempDirectory("discoveryd-updates");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--data-dir=" + dir.resolve("data"), "--ip-rate-limit=0",
                mode.equals("memory") ? "--in-memory" : "--log-sync=" + mode));
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.split(",")));
        }
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Vertx vertx = null;
        try {
            int port = awaitPort(server, dir.resolve("server.log"));
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            List<ClusterGrpcClient> clients = clients(vertx, port, connections);
            Map<String, Figures> out = new LinkedHashMap<>();
            for (String w : workloads) {
                switch (w) {
                    case "one-cluster" -> out.put(w, measure(server, "one-cluster", calls(clients, requests.hot),
                            inflight, warmup, duration));
                    case "10k-clusters" -> out.put(w, measure(server, "10k-clusters", calls(clients, requests.spread),
                            inflight, warmup, duration));
                    case "lone" -> out.put(w, measure(server, "lone", calls(clients.subList(0, 1), requests.hot),
                            1, warmup, duration));
                    default -> throw new IllegalArgumentException("unknown workload " + w);
                }
            }
            return out;
        } finally {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Figures measure(Process server, String name, List<IntFunction<Future<?>>> calls, int inflight,
                                   Duration warmup, Duration duration) throws Exception {
        // The server's CPU over the whole closed loop (warm-up included) over the updates of the whole loop is close
        // enough; ClosedLoop's own CPU figure is this client process's.
        ProcStats before = ProcStats.read(server.pid());
        long t0 = System.nanoTime();
        ClosedLoop.Result r = ClosedLoop.run(name, calls, inflight, warmup, duration);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ProcStats after = ProcStats.read(server.pid());
        double cpuPerSecond = (after.cpuSeconds() - before.cpuSeconds()) / seconds;
        double serverCpu = r.perSecond() == 0 ? 0 : cpuPerSecond / r.perSecond() * 1e6;
        return new Figures(r.perSecond(), r.p50ms(), r.p99ms(), r.errors(), serverCpu);
    }

    private static int awaitPort(Process server, Path log) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.println(line);
                    Matcher m = GRPC.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            port.completeExceptionally(new IllegalStateException("the server exited before listening"));
        }, "server-log");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("server did not start: " + Files.readString(log));
            throw e;
        }
    }

    private static List<ClusterGrpcClient> clients(Vertx vertx, int port, int n) {
        List<ClusterGrpcClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GrpcClient grpc = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            clients.add(ClusterGrpcClient.create(grpc, SocketAddress.inetSocketAddress(port, "127.0.0.1")));
        }
        return clients;
    }

    static List<IntFunction<Future<?>>> calls(List<ClusterGrpcClient> clients, AffiliateUpdateRequest[][] perConnection) {
        List<IntFunction<Future<?>>> out = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            ClusterGrpcClient c = clients.get(i);
            AffiliateUpdateRequest[] mine = perConnection[i % perConnection.length];
            out.add(seq -> c.affiliateUpdate(mine[seq % mine.length]));
        }
        return out;
    }

    /** Built once, so that the client's own work stays small next to the server's: 300 bytes of data, 2 endpoints. */
    static final class Requests {
        final AffiliateUpdateRequest[][] hot;
        final AffiliateUpdateRequest[][] spread;

        Requests(int connections) {
            hot = new AffiliateUpdateRequest[connections][];
            spread = new AffiliateUpdateRequest[connections][];
            int perConnection = Math.max(1, HOT_AFFILIATES / connections);
            for (int c = 0; c < connections; c++) {
                hot[c] = new AffiliateUpdateRequest[perConnection];
                for (int i = 0; i < perConnection; i++) {
                    hot[c][i] = request("hot", "node-" + (c * perConnection + i), i);
                }
                spread[c] = new AffiliateUpdateRequest[SPREAD_CLUSTERS];
                for (int i = 0; i < SPREAD_CLUSTERS; i++) {
                    spread[c][i] = request("cluster-" + ((i + c * 1237) % SPREAD_CLUSTERS), "node-" + c, i);
                }
            }
        }

        private static AffiliateUpdateRequest request(String cluster, String affiliate, int seq) {
            return AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate)
                    .setAffiliateData(LoadGen.data(seq))
                    .addAffiliateEndpoints(LoadGen.endpoint(seq)).addAffiliateEndpoints(LoadGen.endpoint(seq + 1))
                    .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build();
        }
    }

    private static void summary(Map<String, Map<String, Map<String, List<Figures>>>> results, Map<String, Path> jars,
                                List<String> modes, List<String> workloads) {
        System.out.println("== summary (medians over rounds; ratios of runs of the same round)");
        String first = jars.keySet().iterator().next();
        for (String jar : jars.keySet()) {
            for (String w : workloads) {
                for (String mode : modes) {
                    List<Figures> fs = results.get(jar).get(mode).get(w);
                    StringBuilder line = new StringBuilder(String.format("%-8s %-13s %-9s %8.0f updates/s  p50 %7.3f ms  p99 %7.3f ms",
                            jar, w, mode, Stats.median(fs.stream().map(Figures::perSecond).toList()),
                            Stats.median(fs.stream().map(Figures::p50ms).toList()), Stats.median(fs.stream().map(Figures::p99ms).toList())));
                    if (!mode.equals("memory") && results.get(jar).containsKey("memory")) {
                        List<Double> r = ratios(fs, results.get(jar).get("memory").get(w));
                        line.append(String.format("  vs in-memory %.2f %s", Stats.median(r), format(r)));
                    }
                    if (!jar.equals(first)) {
                        List<Double> r = ratios(fs, results.get(first).get(mode).get(w));
                        line.append(String.format("  vs %s %.2f %s", first, Stats.median(r), format(r)));
                    }
                    System.out.println(line);
                }
            }
        }
    }

    private static List<Double> ratios(List<Figures> these, List<Figures> base) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(these.size(), base.size()); i++) {
            r.add(these.get(i).perSecond() / base.get(i).perSecond());
        }
        return r;
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }

    private UpdateBench() {
    }
}
