package dev.discoveryd.ops;

import static dev.discoveryd.ops.Args.arg;

import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.GoDuration;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real jar's own costs as a process, per launch command (variant): CPU while idle (no clients) over a window,
 * idle RSS, RSS per affiliate after loading clusters x affiliates (300-byte data, 2 endpoints), and GC pauses (from
 * the server's GC log) while loading and while fanning one cluster out to many watchers. The loaded RSS is read
 * {@code --settle} after the last update (a heap that gives memory back after a burst shows it there).
 *
 * <pre>ops/bench.sh memory [--idle=60s] [--settle=5s] [--clusters=10000] [--affiliates=10] [--watchers=10000] [--changes=50]
 *     [--dumps=DIR]
 *     ['name=java -XX:... -jar service/target/discoveryd.jar' ...]</pre>
 * A command is split on spaces (it may start with {@code env VAR=value}); {@code -Xlog:gc} goes in after its
 * {@code java}, the service flags (ports, a fresh data
 * directory, no rate limit so that one loader can fill it fast) after the rest.
 */
public final class MemoryBench {
    private static final Pattern PAUSE = Pattern.compile("\\[gc\\s*\\].*Pause.* (\\d+\\.\\d+)ms");

    record Run(double idleCpuMs, double idleSeconds, ProcStats idle, ProcStats loaded, long affiliates, double loadSeconds,
               GcPauses loadPauses, FanOut.Result fanOut, GcPauses fanOutPauses, String idleThreads) {
    }

    record GcPauses(int count, double maxMs, double totalMs) {
        @Override
        public String toString() {
            return String.format("%d pauses, max %.1f ms, total %.0f ms", count, maxMs, totalMs);
        }
    }

    public static void main(String[] args) throws Exception {
        long idleMs = GoDuration.parse(arg(args, "idle", "60s")).toMillis();
        long settleMs = GoDuration.parse(arg(args, "settle", "5s")).toMillis();
        int clusters = Integer.parseInt(arg(args, "clusters", "10000"));
        int perCluster = Integer.parseInt(arg(args, "affiliates", "10"));
        int watchers = Integer.parseInt(arg(args, "watchers", "10000"));
        int changes = Integer.parseInt(arg(args, "changes", "50"));
        String dumps = arg(args, "dumps", "");
        Map<String, List<String>> variants = Args.launchVariants(args);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.vertx")).setLevel(ch.qos.logback.classic.Level.OFF);
        Vertx vertx = Vertx.vertx();
        Map<String, Run> runs = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> v : variants.entrySet()) {
            Run r = once(vertx, v.getValue(), idleMs, settleMs, clusters, perCluster, watchers, changes,
                    dumps.isEmpty() ? null : Path.of(dumps, v.getKey()));
            runs.put(v.getKey(), r);
            print(v.getKey(), r);
        }
        System.out.printf("%nsummary (same run):%n");
        runs.forEach(MemoryBench::print);
        vertx.close().await();
        System.exit(0);
    }

    private static void print(String name, Run r) {
        System.out.printf("%-10s idle CPU %5.0f ms per minute (%s), idle RSS %5.1f MiB (anon %.1f, file %.1f);"
                        + " %d affiliates: RSS %6.1f MiB (anon %.1f, file %.1f) = %5.0f bytes per affiliate (anon %.0f,"
                        + " file %.0f; loaded in %.1f s; GC %s); %s; GC during fan-out: %s%n",
                name, r.idleCpuMs * 60 / r.idleSeconds, r.idleThreads, mib(r.idle.rssBytes()), mib(r.idle.anonBytes()),
                mib(r.idle.fileBytes()), r.affiliates, mib(r.loaded.rssBytes()), mib(r.loaded.anonBytes()),
                mib(r.loaded.fileBytes()), (double) (r.loaded.rssBytes() - r.idle.rssBytes()) / r.affiliates,
                (double) (r.loaded.anonBytes() - r.idle.anonBytes()) / r.affiliates,
                (double) (r.loaded.fileBytes() - r.idle.fileBytes()) / r.affiliates, r.loadSeconds, r.loadPauses,
                r.fanOut == null ? "no fan-out" : r.fanOut, r.fanOutPauses);
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    /** "C2 CompilerThread 12, VM Periodic Task Thread 3" in ms per minute, the threads that woke during the window. */
    private static String busiest(Map<String, Double> before, Map<String, Double> after, double seconds) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) * 1000 * 60 / seconds))
                .filter(e -> e.getValue() >= 1)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(6)
                .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(String.format("%s %.0f", e.getKey(), e.getValue())));
        return out.length() == 0 ? "no thread above 1" : out.toString();
    }

    private static Run once(Vertx vertx, List<String> command, long idleMs, long settleMs, int clusters, int perCluster,
                            int watchers, int changes, Path dumps) throws Exception {
        Path dir = Files.createTempDirectory("discoveryd-memory");
        Path gcLog = dir.resolve("gc.log");
        int grpc = Ports.free();
        List<String> cmd = new ArrayList<>(command);
        int java = 0;
        while (java < cmd.size() - 1 && !cmd.get(java).endsWith("java")) {
            java++;
        }
        cmd.add(java + 1, "-Xlog:gc:file=" + gcLog);
        cmd.addAll(List.of("--addr=127.0.0.1:" + grpc, "--landing-addr=", "--metrics-addr=", "--ip-rate-limit=0",
                "--ip-watch-limit=0", "--data-dir=" + dir.resolve("data")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        List<ClusterGrpcClient> clients = new ArrayList<>();
        try {
            SocketAddress address = SocketAddress.inetSocketAddress(grpc, "127.0.0.1");
            // HTTP/2 allows ~100 streams per connection by default: enough connections for every watcher.
            for (int i = 0; i < Math.max(8, watchers / 90 + 1); i++) {
                GrpcClient c = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                        .setHttp2ClearTextUpgrade(false).setConnectTimeout(1000));
                clients.add(ClusterGrpcClient.create(c, address));
            }
            awaitHello(p, clients.get(0), dir);
            // Start-up work (warm-up Hellos, JIT of the start) settles first; then a window with no client at all.
            Thread.sleep(5000);
            ProcStats before = ProcStats.read(p.pid());
            Map<String, Double> threadsBefore = ProcStats.threadCpu(p.pid());
            long t0 = System.nanoTime();
            Thread.sleep(idleMs);
            ProcStats idle = ProcStats.read(p.pid());
            double idleSeconds = (System.nanoTime() - t0) / 1e9;
            dump(p, dumps, "idle");
            String idleThreads = busiest(threadsBefore, ProcStats.threadCpu(p.pid()), idleSeconds);
            int gcLinesBefore = lines(gcLog);
            t0 = System.nanoTime();
            load(clients.subList(0, 8), clusters, perCluster);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(settleMs);
            ProcStats loaded = ProcStats.read(p.pid());
            dump(p, dumps, "loaded");
            GcPauses loadPauses = pauses(gcLog, gcLinesBefore);
            int gcLinesLoaded = lines(gcLog);
            FanOut.Result fan = watchers > 0 ? FanOut.run(clients, watchers, changes, 5) : null;
            return new Run((idle.cpuSeconds() - before.cpuSeconds()) * 1000, idleSeconds, idle, loaded,
                    (long) clusters * perCluster, loadSeconds, loadPauses, fan, pauses(gcLog, gcLinesLoaded), idleThreads);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * With --dumps=DIR: the server's memory map and, when it runs with -XX:NativeMemoryTracking, the JVM's own account
     * (jcmd next to the server's java), to tell where the RSS went.
     */
    private static void dump(Process p, Path dumps, String phase) throws Exception {
        if (dumps == null) {
            return;
        }
        Files.createDirectories(dumps.getParent());
        String java = p.info().command().orElse("java");
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "VM.native_memory", "summary").redirectErrorStream(true)
                .redirectOutput(Path.of(dumps + "-" + phase + ".nmt").toFile()).start().waitFor(60, TimeUnit.SECONDS);
        Files.copy(Path.of("/proc", Long.toString(p.pid()), "smaps"), Path.of(dumps + "-" + phase + ".smaps"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static void awaitHello(Process p, ClusterGrpcClient client, Path dir) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            if (!p.isAlive() || System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(180)) {
                throw new IllegalStateException("no Hello answered: " + Files.readString(dir.resolve("out.log")));
            }
            try {
                client.hello(HelloRequest.newBuilder().setClusterId("memory").setClientVersion("memory").build())
                        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                LockSupport.parkNanos(20_000_000);
            }
        }
    }

    /** Every affiliate once, 256 updates in flight over the connections, spread over the clusters. */
    private static void load(List<ClusterGrpcClient> clients, int clusters, int perCluster) throws Exception {
        long total = (long) clusters * perCluster;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Future<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < 256; lane++) {
            ClusterGrpcClient c = clients.get(lane % clients.size());
            Promise<Void> done = Promise.promise();
            lanes.add(done.future());
            sendNext(c, next, total, perCluster, failed, done);
        }
        Future.all(lanes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + total + " updates failed");
        }
    }

    private static void sendNext(ClusterGrpcClient c, AtomicInteger next, long total, int perCluster, AtomicInteger failed,
                                 Promise<Void> done) {
        int i = next.getAndIncrement();
        if (i >= total) {
            done.tryComplete();
            return;
        }
        AffiliateUpdateRequest req = AffiliateUpdateRequest.newBuilder()
                // Spread: the updates in flight go to different clusters, as a booting fleet's would.
                .setClusterId("cluster-" + i % (total / perCluster))
                .setAffiliateId(String.format("node-%038d", i))
                .setAffiliateData(LoadGen.data(i)).addAffiliateEndpoints(LoadGen.endpoint(i)).addAffiliateEndpoints(LoadGen.endpoint(i + 1))
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build();
        c.affiliateUpdate(req).onComplete(ar -> {
            if (ar.failed() && failed.getAndIncrement() == 0) {
                System.err.println("an update failed: " + ar.cause());
            }
            sendNext(c, next, total, perCluster, failed, done);
        });
    }

    private static int lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private static GcPauses pauses(Path gcLog, int skip) throws IOException {
        int count = 0;
        double max = 0;
        double total = 0;
        for (String line : Files.readAllLines(gcLog).subList(Math.min(skip, lines(gcLog)), lines(gcLog))) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(1));
                count++;
                max = Math.max(max, ms);
                total += ms;
            }
        }
        return new GcPauses(count, max, total);
    }

    private MemoryBench() {
    }
}
