package dev.discoveryd.ops;

import static dev.discoveryd.ops.Args.arg;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.core.Event;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.LogOptions;
import dev.discoveryd.eventlog.SyncPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Restart of the real jar at scale, from process start to the first served List. The history (N clusters x M
 * affiliates, 300-byte data, 2 endpoints, each affiliate written {@code --events} times, as nodes refresh) is written
 * once into a data directory with the service's own event log classes; each launch command (variant) then replays it
 * once and stops with SIGTERM, which writes its snapshot, kept aside as that variant's pristine copy. The timed
 * rounds, interleaved over the variants: a start from (a hard-linked copy of) the snapshot, and a start with no
 * snapshot (the whole log replayed); each process is killed with SIGKILL once its List is served, so that nothing
 * it would write on the way out changes the next round's input.
 *
 * <pre>ops/bench.sh restart-real [--clusters=100000] [--affiliates=10] [--events=4] [--rounds=3] [--work=DIR]
 *     ['name=command' ...]</pre>
 * A command is split on spaces; the service flags (ports, data directory, intervals) are appended to it. The last
 * line per variant, "NAME from snapshot N ms, full replay N ms" (medians), is what {@code bench.sh compare} reads.
 */
public final class RealRestart {
    private static final Pattern SNAPSHOT_LOADED = Pattern.compile("snapshot loaded: .* in (\\d+) ms");
    private static final Pattern STARTED = Pattern.compile("started in \\d+ ms after the JVM's \\d+ \\(.*\\)");

    record Run(double listMs, String detail) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        int clusters = Integer.parseInt(arg(args, "clusters", "100000"));
        int perCluster = Integer.parseInt(arg(args, "affiliates", "10"));
        int events = Integer.parseInt(arg(args, "events", "4"));
        int rounds = Integer.parseInt(arg(args, "rounds", "3"));
        String work = arg(args, "work", "");
        Map<String, List<String>> variants = Args.launchVariants(args);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.vertx")).setLevel(ch.qos.logback.classic.Level.OFF);
        Path root = work.isEmpty() ? Files.createTempDirectory("discoveryd-restart-real") : Path.of(work);
        Path data = root.resolve("data");
        Vertx vertx = Vertx.vertx();
        try {
            String marker = clusters + "x" + perCluster + "x" + events;
            if (!Files.exists(root.resolve("history-" + marker))) {
                deleteTree(root);
                Files.createDirectories(root);
                long t0 = System.nanoTime();
                long written = write(data, clusters, perCluster, events);
                System.out.printf("history: %d events for %d affiliates written in %.1f s (%s)%n", written,
                        (long) clusters * perCluster, (System.nanoTime() - t0) / 1e9, data);
                Files.createFile(root.resolve("history-" + marker));
            } else {
                System.out.printf("history: reusing %s (%s)%n", data, marker);
            }
            String probe = clusterId(clusters - 1);
            Map<String, List<Run>> fromSnapshot = new LinkedHashMap<>();
            Map<String, List<Run>> replay = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                Path pristine = root.resolve("snapshot-" + v.getKey());
                deleteTree(data.resolve("snapshots"));
                if (!Files.exists(pristine)) {
                    // The first start replays everything; its clean stop writes the variant's snapshot.
                    Run first = once(vertx, v.getValue(), data, probe, perCluster, false);
                    Path firstLog = root.resolve("first-start-" + v.getKey() + ".log");
                    Files.move(data.resolveSibling("server.log"), firstLog, StandardCopyOption.REPLACE_EXISTING);
                    if (!Files.readString(firstLog).contains("snapshot saved")) {
                        throw new IllegalStateException(v.getKey() + ": the stop wrote no snapshot, see " + firstLog);
                    }
                    System.out.printf("%-8s first start (full replay) %6.0f ms, stopped cleanly (snapshot written)  %s%n",
                            v.getKey(), first.listMs, first.detail);
                    Files.move(data.resolve("snapshots"), pristine);
                }
                fromSnapshot.put(v.getKey(), new ArrayList<>());
                replay.put(v.getKey(), new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                    deleteTree(data.resolve("snapshots"));
                    linkTree(root.resolve("snapshot-" + v.getKey()), data.resolve("snapshots"));
                    Run s = once(vertx, v.getValue(), data, probe, perCluster, true);
                    fromSnapshot.get(v.getKey()).add(s);
                    System.out.printf("round %d %-8s from snapshot %6.0f ms  %s%n", round, v.getKey(), s.listMs, s.detail);
                    deleteTree(data.resolve("snapshots"));
                    Run r = once(vertx, v.getValue(), data, probe, perCluster, true);
                    replay.get(v.getKey()).add(r);
                    System.out.printf("round %d %-8s full replay   %6.0f ms  %s%n", round, v.getKey(), r.listMs, r.detail);
                    deleteTree(data.resolve("snapshots"));
                }
            }
            System.out.printf("%nmedians over %d rounds, process start to the first served List (%d clusters x %d "
                    + "affiliates, %d events each):%n", rounds, clusters, perCluster, events);
            for (String name : variants.keySet()) {
                double s = median(fromSnapshot.get(name));
                double r = median(replay.get(name));
                System.out.printf("%s from snapshot %.0f ms, full replay %.0f ms (snapshot %.1fx faster)%n", name, s, r, r / s);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (work.isEmpty()) {
                deleteTree(root);
            }
        }
        System.exit(0);
    }

    /** One start: milliseconds from process start to a List of {@code probe} with all its affiliates. */
    private static Run once(Vertx vertx, List<String> command, Path data, String probe, int expected, boolean kill)
            throws Exception {
        int grpc = Ports.free();
        List<String> cmd = new ArrayList<>(command);
        // The first start (kill false) saves its full snapshot in the background soon after it is ready, so that the
        // stop has only a small one left to write within its time limit.
        cmd.addAll(List.of("--addr=127.0.0.1:" + grpc, "--landing-addr=", "--metrics-addr=", "--data-dir=" + data,
                "--snapshot-interval=" + (kill ? "1h" : "2s"), "--gc-interval=1h", "--ip-rate-limit=0"));
        Path out = data.resolveSibling("server.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            SocketAddress address = SocketAddress.inetSocketAddress(grpc, "127.0.0.1");
            while (true) {
                if (!p.isAlive() || System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(600)) {
                    throw new IllegalStateException("no List served: " + Files.readString(out));
                }
                GrpcClient poll = GrpcClient.builder(vertx).with(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setConnectTimeout(1000)).build();
                int count = list(poll, address, probe).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                poll.close();
                if (count == expected) {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    Run run = new Run(ms, "CPU " + ProcStats.cpuMillis(p.pid()) + " ms " + detail(out));
                    while (!kill && p.isAlive() && !Files.readString(out).contains("snapshot saved")) {
                        Thread.sleep(200);
                    }
                    return run;
                }
                if (count >= 0) {
                    throw new IllegalStateException("List of " + probe + " served " + count + " affiliates, not " + expected);
                }
                Thread.sleep(5);
            }
        } finally {
            if (kill) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /** The affiliates a List of {@code cluster} returns, or -1 when the service does not answer yet. */
    private static Future<Integer> list(GrpcClient client, SocketAddress address, String cluster) {
        ListRequest req = ListRequest.newBuilder().setClusterId(cluster).build();
        return client.request(address, ClusterGrpcClient.List).compose(r -> {
            r.timeout(60, TimeUnit.SECONDS);
            return r.send(req);
        }).compose(GrpcClientResponse::last, Future::failedFuture).map(reply -> reply.getAffiliatesCount())
                .recover(e -> Future.succeededFuture(-1));
    }

    /** What the server's log says about the start: the snapshot load time and its phase summary. */
    private static String detail(Path out) throws IOException {
        String log = Files.readString(out);
        StringBuilder b = new StringBuilder();
        Matcher loaded = SNAPSHOT_LOADED.matcher(log);
        if (loaded.find()) {
            b.append("[snapshot load ").append(loaded.group(1)).append(" ms] ");
        }
        Matcher started = STARTED.matcher(log);
        if (started.find()) {
            b.append(started.group());
        }
        return b.toString();
    }

    /** The history: every affiliate written {@code events} times, each round over all clusters (as refreshes come). */
    private static long write(Path dir, int clusters, int perCluster, int events) {
        KeyRing keys = KeyRing.loadOrCreate(dir, List.of());
        long count = 0;
        try (ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dir, keys)
                .withSync(SyncPolicy.NEVER, Duration.ofSeconds(1)))) {
            // Far ahead, so that no round's garbage collection expires anything (rounds must see the same input).
            long now = System.currentTimeMillis();
            long expires = now + Duration.ofDays(30).toMillis();
            byte[] data = new byte[300];
            Arrays.fill(data, (byte) 0x5A);
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int round = 0; round < events; round++) {
                for (int c = 0; c < clusters; c++) {
                    String cluster = clusterId(c);
                    for (int a = 0; a < perCluster; a++) {
                        byte[] d = data.clone();
                        d[0] = (byte) round;
                        List<byte[]> endpoints = List.of(endpoint(16, c, a), endpoint(32, c, a));
                        pending.add(log.append(new Event.AffiliateUpdated(cluster, String.format("node-%038d", a),
                                now, d, endpoints, expires + round)));
                        count++;
                        if (pending.size() == 10_000) {
                            pending.forEach(CompletableFuture::join);
                            pending.clear();
                        }
                    }
                }
            }
            pending.forEach(CompletableFuture::join);
        }
        return count;
    }

    private static byte[] endpoint(int length, int cluster, int affiliate) {
        byte[] e = new byte[length];
        java.nio.ByteBuffer.wrap(e).putInt(cluster).putInt(affiliate);
        return e;
    }

    /** 44 characters, like a base64 cluster ID. */
    private static String clusterId(int c) {
        return String.format("cluster-%036d", c);
    }

    /** A copy of {@code from} whose table files are hard links (RocksDB never changes one); the rest is copied. */
    private static void linkTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (f.getFileName().toString().endsWith(".sst")) {
                    Files.createLink(target, f);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double median(List<Run> runs) {
        double[] v = runs.stream().mapToDouble(Run::listMs).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private RealRestart() {
    }
}
