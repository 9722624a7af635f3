package dev.discoveryd.ops;

import static dev.discoveryd.ops.Args.arg;

import dev.discoveryd.api.GoDuration;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.ListRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every workload of the speed issue against the real jar, one server process per storage mode and round (fresh data
 * directory), the modes in interleaved rounds, and one table at the end: each figure as the median over the rounds
 * and as the median of its per-round ratios to the {@code --in-memory} server of the same round.
 *
 * <p>Per server: time from process start to the first answered Hello; idle connections each with a Watch (server RSS
 * per connection); then h2load (nghttp2-client, not this project's code) for Hello, updates to one cluster (one
 * affiliate per h2load process) and List of a 100-affiliate cluster, success checked against the server's own gRPC
 * codes; this project's load generator for updates spread over 10k clusters, a lone update's latency and the fan-out
 * of one cluster to many watchers. After the rounds, once per mode: RSS per affiliate (MemoryBench, as its own
 * command) at each size asked for, and the restart command (1M affiliates), if any.
 *
 * <p>With {@code --jars=before=A.jar,after=B.jar} every mode runs with each jar in turn (the launch's {@code -jar}
 * argument replaced), each round interleaving all of them; the table then has a column per jar and mode, ratios
 * against the in-memory mode of the same jar and round, and a second table of each jar against the first.
 *
 * <pre>ops/bench.sh compare [--modes=memory,never,periodic,always] [--rounds=2] [--duration=3s] [--warmup=1s]
 *     [--connections=8] [--inflight=32] [--watchers=1024] [--changes=50] [--idle-watches=5000] [--warmup-server=true]
 *     [--rss-at=100000,1000000] [--rss-modes=(as --modes)] [--workloads=start,idle,hello,one-cluster,10k-clusters,lone,list,fanout]
 *     [--launch='java -jar service/target/discoveryd.jar'] [--jars=name=path,...] [--restart-command='...']
 *     [--h2load=h2load]</pre>
 */
public final class Compare {
    /** MemoryBench's summary line of one launch: its name first, then "... = N bytes per affiliate". */
    static final Pattern RSS_PER_AFFILIATE = Pattern.compile(
            "^(\\S+)\\s+idle CPU.* \\d+ affiliates: RSS .*?=\\s*(-?\\d+) bytes per affiliate");
    /** The in-process restart mode: "ready after ...: N s". */
    static final Pattern SECONDS = Pattern.compile("(ready [^:]*):\\s+([\\d.]+) s");
    /** The real-jar restart mode's medians: "NAME from snapshot N ms, full replay N ms". */
    static final Pattern REAL_RESTART = Pattern.compile(
            "^(\\S+)\\s+from snapshot\\s+([\\d.]+) ms, full replay\\s+([\\d.]+) ms");
    private static final List<String> ALL = List.of("start", "idle", "hello", "one-cluster", "10k-clusters", "lone",
            "list", "fanout");

    /** One row of the table: its name, and whether more is better (rates) or less (times, bytes). */
    record Row(String name, boolean higherIsBetter) {
    }

    private final Map<Row, Map<String, List<Double>>> table = new LinkedHashMap<>();
    private final List<String> modes;
    /** The jars compared, first the reference; one unnamed entry when {@code --jars} is not given. */
    private final List<String> jarNames;
    private final List<String> notes = new ArrayList<>();

    private Compare(List<String> modes) {
        this(modes, List.of(""));
    }

    private Compare(List<String> modes, List<String> jarNames) {
        this.modes = modes;
        this.jarNames = jarNames;
    }

    /** The table's column of {@code mode} run with jar {@code jar} (the mode alone without {@code --jars}). */
    static String column(String jar, String mode) {
        return jar.isEmpty() ? mode : jar + ":" + mode;
    }

    private List<String> columns() {
        List<String> out = new ArrayList<>();
        for (String jar : jarNames) {
            for (String mode : modes) {
                out.add(column(jar, mode));
            }
        }
        return out;
    }

    /** {@code launch} with the word after {@code -jar} replaced by {@code jar}. */
    static List<String> withJar(List<String> launch, String jar) {
        List<String> out = new ArrayList<>(launch);
        int at = out.indexOf("-jar");
        if (at < 0 || at + 1 >= out.size()) {
            throw new IllegalArgumentException("--jars needs a launch command with -jar <path>: " + launch);
        }
        out.set(at + 1, jar);
        return out;
    }

    private void put(String name, boolean higherIsBetter, String mode, double value) {
        table.computeIfAbsent(new Row(name, higherIsBetter), k -> new LinkedHashMap<>())
                .computeIfAbsent(mode, k -> new ArrayList<>()).add(value);
    }

    public static void main(String[] args) throws Exception {
        List<String> modes = List.of(arg(args, "modes", "memory,never,periodic,always").split(","));
        int rounds = Integer.parseInt(arg(args, "rounds", "2"));
        Duration duration = GoDuration.parse(arg(args, "duration", "3s"));
        Duration warmup = GoDuration.parse(arg(args, "warmup", "1s"));
        int connections = Integer.parseInt(arg(args, "connections", "8"));
        int inflight = Integer.parseInt(arg(args, "inflight", "32"));
        int watchers = Integer.parseInt(arg(args, "watchers", "1024"));
        int changes = Integer.parseInt(arg(args, "changes", "50"));
        int idle = Integer.parseInt(arg(args, "idle-watches", "5000"));
        boolean warmupServer = Boolean.parseBoolean(arg(args, "warmup-server", "true"));
        List<String> rssAt = List.of(arg(args, "rss-at", "100000,1000000").split(",")).stream()
                .filter(s -> !s.isBlank()).toList();
        List<String> rssModes = List.of(arg(args, "rss-modes", String.join(",", modes)).split(","));
        List<String> workloads = List.of(arg(args, "workloads", String.join(",", ALL)).split(","));
        for (String w : workloads) {
            if (!ALL.contains(w)) {
                throw new IllegalArgumentException("unknown workload " + w + "; known: " + ALL);
            }
        }
        List<String> launch = List.of(arg(args, "launch", "java -jar service/target/discoveryd.jar").trim().split("\\s+"));
        String restart = arg(args, "restart-command", "");
        String h2load = arg(args, "h2load", "h2load");
        Map<String, String> jars = new LinkedHashMap<>();
        for (String j : arg(args, "jars", "").split(",")) {
            if (!j.isBlank()) {
                String[] kv = j.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank() || !Files.isRegularFile(Path.of(kv[1]))) {
                    throw new IllegalArgumentException("--jars: expected name=path of an existing jar, got " + j);
                }
                jars.put(kv[0], kv[1]);
            }
        }
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.vertx")).setLevel(ch.qos.logback.classic.Level.OFF);
        System.out.printf("compare: %d cores; modes %s in %d interleaved rounds; launch: %s%n"
                        + "  h2load and load generator: %d connections x %d in flight, %s after %s warm-up; fan-out to %d"
                        + " watchers (%d changes); %d idle watching connections%n",
                Runtime.getRuntime().availableProcessors(), modes, rounds, String.join(" ", launch), connections, inflight,
                GoDuration.format(duration), GoDuration.format(warmup), watchers, changes, idle);
        if (!jars.isEmpty()) {
            System.out.println("  jars (each mode with each, interleaved): " + jars);
        }
        Compare c = new Compare(modes, jars.isEmpty() ? List.of("") : List.copyOf(jars.keySet()));
        long t0 = System.nanoTime();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            UpdateBench.Requests requests = new UpdateBench.Requests(connections);
            if (warmupServer) {
                // Not reported: in the first server of a run every figure came out up to 2x lower than in the next
                // round (this JVM's client code not yet compiled, files not yet cached), which skewed round 1's ratios.
                System.out.println("== warm-up: one in-memory server, not reported");
                new Compare(List.of("memory")).server(vertx, launch, "memory", "memory", List.of("hello", "one-cluster",
                        "10k-clusters", "lone"), requests, h2load, connections, inflight, Duration.ofSeconds(1),
                        Duration.ofSeconds(2), 0, 0, 0);
            }
            for (int round = 1; round <= rounds; round++) {
                for (String mode : modes) {
                    for (String jar : c.jarNames) {
                        String column = column(jar, mode);
                        System.out.printf("== round %d of %d, %s (%.0f s in)%n", round, rounds, column,
                                (System.nanoTime() - t0) / 1e9);
                        c.server(vertx, jar.isEmpty() ? launch : withJar(launch, jars.get(jar)), mode, column, workloads,
                                requests, h2load, connections, inflight, warmup, duration, watchers, changes, idle);
                    }
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        for (String size : rssAt) {
            System.out.printf("== RSS per affiliate at %s affiliates (MemoryBench, one server per mode; %.0f s in)%n",
                    size, (System.nanoTime() - t0) / 1e9);
            // With --jars, the last jar's (the one under test).
            String last = c.jarNames.get(c.jarNames.size() - 1);
            c.rssPerAffiliate(last.isEmpty() ? launch : withJar(launch, jars.get(last)), rssModes, Integer.parseInt(size),
                    last);
        }
        if (!restart.isBlank()) {
            System.out.printf("== restart: %s (%.0f s in)%n", restart, (System.nanoTime() - t0) / 1e9);
            c.restart(restart);
        }
        System.out.printf("== total %.0f s%n", (System.nanoTime() - t0) / 1e9);
        c.summary(rounds);
        System.exit(0);
    }

    /** One server of one mode: every per-server workload against it, in a fixed order; figures go to {@code column}. */
    private void server(Vertx vertx, List<String> launch, String mode, String column, List<String> workloads,
                        UpdateBench.Requests requests, String h2load, int connections, int inflight, Duration warmup,
                        Duration duration, int watchers, int changes, int idle) throws Exception {
        Path dir = Files.createTempDirectory("discoveryd-compare");
        int grpc = Ports.free();
        int metrics = Ports.free();
        List<String> cmd = new ArrayList<>(launch);
        cmd.addAll(List.of("--addr=127.0.0.1:" + grpc, "--landing-addr=", "--metrics-addr=127.0.0.1:" + metrics,
                "--data-dir=" + dir.resolve("data"), "--ip-rate-limit=0", "--ip-watch-limit=0",
                mode.equals("memory") ? "--in-memory" : "--log-sync=" + mode));
        List<GrpcClient> grpcClients = new ArrayList<>();
        long started = System.nanoTime();
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread log = copyLog(server, dir.resolve("server.log"));
        try {
            SocketAddress address = SocketAddress.inetSocketAddress(grpc, "127.0.0.1");
            double firstHello = Probes.firstHello(vertx, server, address, started, dir.resolve("server.log"));
            if (workloads.contains("start")) {
                put("start to first Hello, ms", false, column, firstHello);
                System.out.printf("  start to first Hello: %.0f ms%n", firstHello);
            }
            if (workloads.contains("idle") && idle > 0) {
                // First, on the fresh server, so that the heap it grows for them is counted.
                IdleWatches.Result r = IdleWatches.run(vertx, address, server.pid(), idle, 2000);
                System.out.println("  " + r);
                put(idle + " idle Watch connections, server KiB each", false, column, r.bytesPerConnection() / 1024);
                if (r.failed() > 0) {
                    notes.add(column + ": " + r.failed() + " idle watches failed");
                }
            }
            H2Load h2 = new H2Load(h2load, dir);
            int secs = (int) Math.max(1, duration.toSeconds());
            int warm = (int) Math.max(0, warmup.toSeconds());
            if (workloads.contains("hello")) {
                H2Load.Result r = h2.run(grpc, metrics, "Hello", List.of(H2Load.frame(HelloRequest.newBuilder()
                        .setClusterId("h2load").setClientVersion("v1.9.0").build())), connections, inflight, warm, secs);
                record(column, "Hello (h2load), calls/s", r);
            }
            if (workloads.contains("one-cluster")) {
                // One h2load process per connection, each updating its own affiliate of the one cluster.
                List<byte[]> bodies = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    bodies.add(H2Load.frame(requests.hot[i][0]));
                }
                H2Load.Result r = h2.run(grpc, metrics, "AffiliateUpdate", bodies, 1, inflight, warm, secs);
                record(column, "updates to one cluster (h2load), /s", r);
            }
            if (workloads.contains("list")) {
                ClusterGrpcClient loader = Probes.clients(vertx, address, 1, grpcClients).get(0);
                List<Future<?>> loads = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    loads.add(loader.affiliateUpdate(AffiliateUpdateRequest.newBuilder().setClusterId("list100")
                            .setAffiliateId("node-" + i).setAffiliateData(LoadGen.data(i))
                            .addAffiliateEndpoints(LoadGen.endpoint(i)).addAffiliateEndpoints(LoadGen.endpoint(i + 1))
                            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build()));
                }
                Future.all(loads).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                H2Load.Result r = h2.run(grpc, metrics, "List", List.of(H2Load.frame(ListRequest.newBuilder()
                        .setClusterId("list100").build())), connections, inflight, warm, secs);
                record(column, "List of 100 affiliates (h2load), /s", r);
            }
            List<ClusterGrpcClient> clients = Probes.clients(vertx, address, connections, grpcClients);
            if (workloads.contains("10k-clusters")) {
                UpdateBench.Figures f = UpdateBench.measure(server, "10k-clusters", UpdateBench.calls(clients, requests.spread),
                        inflight, warmup, duration);
                System.out.println("  updates over 10k clusters (load generator): " + f);
                put("updates over 10k clusters (loadgen), /s", true, column, f.perSecond());
                errors(column, "10k-clusters", f.errors());
            }
            if (workloads.contains("lone")) {
                UpdateBench.Figures f = UpdateBench.measure(server, "lone", UpdateBench.calls(clients.subList(0, 1),
                        requests.hot), 1, warmup, duration);
                System.out.println("  a lone update (1 x 1): " + f);
                put("lone update p50, ms", false, column, f.p50ms());
                put("lone update p99, ms", false, column, f.p99ms());
                errors(column, "lone", f.errors());
            }
            if (workloads.contains("fanout") && watchers > 0) {
                // HTTP/2 allows ~100 streams per connection by default: enough connections for every watcher.
                List<ClusterGrpcClient> watching = Probes.clients(vertx, address, watchers / 90 + 1, grpcClients);
                FanOut.Result r = FanOut.run(watching, watchers, changes, 5);
                System.out.println("  " + r);
                put("fan-out to " + watchers + " watchers p50, ms", false, column, r.p50ms());
                put("fan-out to " + watchers + " watchers p99, ms", false, column, r.p99ms());
            }
        } finally {
            for (GrpcClient g : grpcClients) {
                g.close();
            }
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            log.join(5000);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void record(String mode, String row, H2Load.Result r) {
        System.out.printf("  %-38s %s%n", row + ":", r);
        put(row, true, mode, r.perSecond());
        if (r.httpFailed() > 0 || r.grpcErrors() > 0 || r.codes().getOrDefault("OK", 0L) == 0) {
            notes.add(String.format("%s, %s: %d h2load requests without 2xx, server codes %s", mode, row, r.httpFailed(),
                    r.codes()));
        }
    }

    private void errors(String mode, String workload, long errors) {
        if (errors > 0) {
            notes.add(mode + ", " + workload + ": " + errors + " failed calls");
        }
    }

    /** RSS per affiliate per mode, by MemoryBench as its own command (its own JVM, its own output, parsed). */
    private void rssPerAffiliate(List<String> launch, List<String> rssModes, int affiliates, String jar) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), MemoryBench.class.getName(), "--idle=3s",
                "--watchers=0", "--clusters=" + Math.max(1, affiliates / 10), "--affiliates=10"));
        for (String mode : rssModes) {
            cmd.add(mode + "=" + String.join(" ", launch) + " " + (mode.equals("memory") ? "--in-memory" : "--log-sync=" + mode));
        }
        String row = String.format("RSS per affiliate at %s, bytes", affiliates >= 1_000_000 && affiliates % 1_000_000 == 0
                ? affiliates / 1_000_000 + "M" : affiliates >= 1000 && affiliates % 1000 == 0 ? affiliates / 1000 + "k" : affiliates);
        boolean[] summary = {false};
        int rc = run(cmd, line -> {
            summary[0] |= line.startsWith("summary");
            Matcher m = RSS_PER_AFFILIATE.matcher(line);
            if (summary[0] && m.find() && modes.contains(m.group(1))) {
                put(row, false, column(jar, m.group(1)), Double.parseDouble(m.group(2)));
            }
        });
        if (rc != 0) {
            notes.add("MemoryBench at " + affiliates + " exited " + rc);
        }
    }

    /** The restart command's figures (either restart mode's), each a row of its own (the same for every mode). */
    private void restart(String command) throws Exception {
        int rc = run(List.of("bash", "-c", command), line -> {
            Matcher m = SECONDS.matcher(line);
            Matcher real = REAL_RESTART.matcher(line);
            if (real.find()) {
                put("restart, real jar " + real.group(1) + ": from snapshot, ms", false, "*", Double.parseDouble(real.group(2)));
                put("restart, real jar " + real.group(1) + ": full replay, ms", false, "*", Double.parseDouble(real.group(3)));
            } else if (m.find()) {
                put("restart, in-process: " + (m.group(1).contains("snapshot") ? "from snapshot" : "full replay") + ", s",
                        false, "*", Double.parseDouble(m.group(2)));
            }
        });
        if (rc != 0) {
            notes.add("restart command exited " + rc);
        }
    }

    private static int run(List<String> cmd, java.util.function.Consumer<String> lines) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println("  | " + line);
                lines.accept(line);
            }
        }
        return p.waitFor();
    }

    private void summary(int rounds) {
        System.out.printf("== summary: medians over %d round(s); (x) = median of the per-round ratios to --in-memory of the"
                + " same round (rates: higher is better; ms, KiB, bytes, s: lower is better)%n", rounds);
        printTable(column -> sameJar(column, "memory"), c -> modeOf(c).equals("memory"));
        if (jarNames.size() > 1) {
            System.out.printf("== each jar against %s: (x) = median of the per-round ratios to %s in the same mode%n",
                    jarNames.get(0), jarNames.get(0));
            printTable(column -> column(jarNames.get(0), modeOf(column)), c -> jarOf(c).equals(jarNames.get(0)));
        }
        Row one = new Row("updates to one cluster (h2load), /s", true);
        for (String jar : jarNames) {
            if (table.containsKey(one) && table.get(one).containsKey(column(jar, "memory"))) {
                check(one, jar, "periodic", 0.8);
                check(one, jar, "always", 0.5);
            }
        }
        if (!notes.isEmpty()) {
            System.out.println("problems seen:");
            notes.forEach(n -> System.out.println("  " + n));
        } else {
            System.out.println("no failed calls: every h2load request had a 2xx and the server ended every call OK"
                    + " (h2load's streams cut at its end aside), no load-generator errors");
        }
    }

    /** The column of {@code mode} with the jar of {@code column}. */
    private String sameJar(String column, String mode) {
        return column(jarOf(column), mode);
    }

    private String jarOf(String column) {
        int colon = column.indexOf(':');
        return colon < 0 ? "" : column.substring(0, colon);
    }

    private static String modeOf(String column) {
        return column.substring(column.indexOf(':') + 1);
    }

    /** One table: every column's median, with its ratio to the column {@code baseOf} names (none where {@code isBase}). */
    private void printTable(java.util.function.UnaryOperator<String> baseOf, java.util.function.Predicate<String> isBase) {
        StringBuilder head = new StringBuilder(String.format("%-50s", "workload"));
        for (String column : columns()) {
            head.append(String.format("%-22s", modeOf(column).equals("memory")
                    ? column.substring(0, column.length() - "memory".length()) + "in-memory" : column));
        }
        System.out.println(head);
        for (Map.Entry<Row, Map<String, List<Double>>> e : table.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-50s", e.getKey().name()));
            Map<String, List<Double>> byColumn = e.getValue();
            if (byColumn.containsKey("*")) {
                line.append(String.format("%-22s", format(Stats.median(byColumn.get("*")))));
                System.out.println(line.append("(one run, not per mode)"));
                continue;
            }
            for (String column : columns()) {
                List<Double> vs = byColumn.get(column);
                if (vs == null) {
                    line.append(String.format("%-22s", "-"));
                    continue;
                }
                String cell = format(Stats.median(vs));
                List<Double> base = byColumn.get(baseOf.apply(column));
                if (base != null && !isBase.test(column)) {
                    cell += String.format(" (%.2fx)", Stats.median(Stats.ratios(vs, base)));
                }
                line.append(String.format("%-22s", cell));
            }
            System.out.println(line);
        }
    }

    private void check(Row row, String jar, String mode, double target) {
        List<Double> vs = table.get(row).get(column(jar, mode));
        if (vs == null) {
            return;
        }
        List<Double> r = Stats.ratios(vs, table.get(row).get(column(jar, "memory")));
        double m = Stats.median(r);
        System.out.printf("check: updates to one cluster, %s >= %.1fx in-memory: %s (%.2fx; rounds %s)%n",
                column(jar, mode), target, m >= target ? "yes" : "NO", m,
                r.stream().map(v -> String.format("%.2f", v)).toList());
    }

    private static String format(double v) {
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : Math.abs(v) >= 10 ? String.format("%.1f", v)
                : String.format("%.2f", v);
    }

    private static Thread copyLog(Process server, Path file) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true)) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.println(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "server-log");
        t.setDaemon(true);
        t.start();
        return t;
    }

}
