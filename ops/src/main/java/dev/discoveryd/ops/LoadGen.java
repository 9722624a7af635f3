package dev.discoveryd.ops;

import static dev.discoveryd.ops.Args.arg;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.api.GoDuration;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Load generator: starts the service in this JVM for each storage mode, drives it over real gRPC connections on
 * loopback, and prints Hello and AffiliateUpdate throughput/latency and the fan-out time to many watchers.
 *
 * <pre>java -jar ops/target/loadgen.jar [--modes=memory,never,periodic,always] [--duration=10s] [--connections=8]
 *     [--inflight=32] [--watchers=1024] [--changes=200] [--jit-warmup=5s] [--rounds=1]
 *     [--server-flags=--flag=value,...]</pre>
 */
public final class LoadGen {
    private static final byte[] DATA = new byte[300];

    /** More service flags for every run, e.g. --server-flags=--snapshots-enabled=false,--event-loops=2 */
    private static final List<String> EXTRA = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String extra = arg(args, "server-flags", "");
        if (!extra.isBlank()) {
            EXTRA.addAll(List.of(extra.split(",")));
        }
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        List<String> modes = List.of(arg(args, "modes", "memory,never,periodic,always").split(","));
        Duration duration = GoDuration.parse(arg(args, "duration", "10s"));
        int connections = Integer.parseInt(arg(args, "connections", "8"));
        int inflight = Integer.parseInt(arg(args, "inflight", "32"));
        int watchers = Integer.parseInt(arg(args, "watchers", "1024"));
        int changes = Integer.parseInt(arg(args, "changes", "200"));
        System.out.printf("discoveryd load generator: %d cores, %d connections x %d in flight, %s per phase%n",
                Runtime.getRuntime().availableProcessors(), connections, inflight, GoDuration.format(duration));
        List<String> summary = new ArrayList<>();
        // An unreported first round over every mode lets the JIT compile the server, the log and the client paths
        // before anything counts (otherwise the compiler competes with whichever mode runs first).
        Duration warm = GoDuration.parse(arg(args, "jit-warmup", "5s"));
        if (!warm.isZero()) {
            System.out.println("== JIT warm-up round over " + modes + " (not reported), " + GoDuration.format(warm) + " per phase");
            for (String mode : modes) {
                runMode(mode, connections, inflight, warm, 16, 20, true);
            }
        }
        // Modes run in turn, round after round, so that drift on a shared machine hits every mode alike; each ratio
        // compares runs of the same round, and the summary gives the median over rounds.
        int rounds = Integer.parseInt(arg(args, "rounds", "1"));
        java.util.Map<String, List<Double>> vsMemory = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<Double>> cpuVsMemory = new java.util.LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            if (rounds > 1) {
                System.out.println("== round " + round + " of " + rounds);
            }
            Result memory = null;
            for (String mode : modes) {
                Result r = runMode(mode, connections, inflight, duration, watchers, changes, false);
                if (mode.equals("memory")) {
                    memory = r;
                }
                String line = String.format("%-9s update/hello %.2f", mode, r.update().perSecond() / r.hello().perSecond());
                if (memory != null && !mode.equals("memory")) {
                    double ratio = r.update().perSecond() / memory.update().perSecond();
                    double cpu = memory.update().cpuMicros() / r.update().cpuMicros();
                    vsMemory.computeIfAbsent(mode, m -> new ArrayList<>()).add(ratio);
                    cpuVsMemory.computeIfAbsent(mode, m -> new ArrayList<>()).add(cpu);
                    line += String.format("  update vs in-memory %.2f (CPU per update: in-memory/this %.2f)", ratio, cpu);
                }
                summary.add((rounds > 1 ? "round " + round + "  " : "") + line
                        + String.format("  fan-out p99 %.1f ms", r.fan().p99ms()));
            }
        }
        System.out.println("== summary (ratios from this run)");
        summary.forEach(System.out::println);
        if (rounds > 1) {
            vsMemory.forEach((mode, ratios) -> System.out.printf(
                    "%-9s update vs in-memory: median %.2f over %d rounds %s; CPU per update in-memory/this: median %.2f%n",
                    mode, Stats.median(ratios), ratios.size(), format(ratios), Stats.median(cpuVsMemory.get(mode))));
        }
        System.exit(0);
    }

    record Result(ClosedLoop.Result hello, ClosedLoop.Result update, FanOut.Result fan) {
    }

    private static Result runMode(String mode, int connections, int inflight, Duration duration, int watchers,
                                  int changes, boolean quiet) throws Exception {
        Path dir = Files.createTempDirectory("discoveryd-bench");
        List<String> flags = new ArrayList<>(List.of("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--data-dir=" + dir, "--ip-rate-limit=0", "--ip-watch-limit=100000"));
        flags.add(mode.equals("memory") ? "--in-memory" : "--log-sync=" + mode);
        flags.addAll(EXTRA);
        if (!quiet) {
            System.out.println("== storage: " + mode);
        }
        try (DiscoveryServer server = DiscoveryServer.start(flags.toArray(String[]::new))) {
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
            try {
                List<ClusterGrpcClient> clients = clients(vertx, server.grpcPort(), Math.max(connections, 16));
                List<ClusterGrpcClient> load = clients.subList(0, connections);
                Duration warmup = Duration.ofSeconds(3);
                ClosedLoop.Result hello = ClosedLoop.run("Hello", calls(load, LoadGen::hello), inflight, warmup, duration);
                ClosedLoop.Result update = ClosedLoop.run("AffiliateUpdate", calls(load, LoadGen::update), inflight,
                        warmup, duration);
                FanOut.Result fan = FanOut.run(clients, watchers, changes, 20);
                if (!quiet) {
                    System.out.println(hello);
                    System.out.println(update);
                    System.out.println(fan);
                }
                return new Result(hello, update, fan);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<ClusterGrpcClient> clients(Vertx vertx, int port, int n) {
        List<ClusterGrpcClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // One GrpcClient per connection: each has its own HTTP/2 connection.
            GrpcClient grpc = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            clients.add(ClusterGrpcClient.create(grpc, SocketAddress.inetSocketAddress(port, "127.0.0.1")));
        }
        return clients;
    }

    interface Workload {
        Future<?> call(ClusterGrpcClient client, int connection, int seq);
    }

    private static List<IntFunction<Future<?>>> calls(List<ClusterGrpcClient> clients, Workload w) {
        List<IntFunction<Future<?>>> out = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            ClusterGrpcClient c = clients.get(i);
            int connection = i;
            out.add(seq -> w.call(c, connection, seq));
        }
        return out;
    }

    private static Future<?> hello(ClusterGrpcClient c, int connection, int seq) {
        return c.hello(HelloRequest.newBuilder().setClusterId("cluster-" + (seq % 100)).setClientVersion("loadgen").build());
    }

    /** Built once, so that the client's own work stays small next to the server's (as it is for Hello). */
    private static final AffiliateUpdateRequest[][] UPDATES = new AffiliateUpdateRequest[16][];

    /** 100 clusters x 1000 affiliates refreshing with 300 bytes of data and 2 endpoints, like Talos nodes do. */
    private static Future<?> update(ClusterGrpcClient c, int connection, int seq) {
        AffiliateUpdateRequest[] mine = UPDATES[connection % UPDATES.length];
        return c.affiliateUpdate(mine[seq % mine.length]);
    }

    static {
        for (int connection = 0; connection < UPDATES.length; connection++) {
            UPDATES[connection] = new AffiliateUpdateRequest[100 * 125];
            for (int seq = 0; seq < UPDATES[connection].length; seq++) {
                UPDATES[connection][seq] = AffiliateUpdateRequest.newBuilder()
                        .setClusterId("cluster-" + (seq % 100))
                        .setAffiliateId("node-" + connection + "-" + ((seq / 100) % 125))
                        .setAffiliateData(data(seq)).addAffiliateEndpoints(endpoint(seq)).addAffiliateEndpoints(endpoint(seq + 1))
                        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build();
            }
        }
    }

    static ByteString data(int seq) {
        byte[] d = DATA.clone();
        d[0] = (byte) seq;
        d[1] = (byte) (seq >> 8);
        return ByteString.copyFrom(d);
    }

    static ByteString endpoint(int seq) {
        byte[] e = new byte[16];
        e[0] = (byte) (seq % 4);
        return ByteString.copyFrom(e);
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }

    private LoadGen() {
    }
}
