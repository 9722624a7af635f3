package dev.discoveryd.ops;

import static dev.discoveryd.ops.Args.arg;

import dev.discoveryd.api.GoDuration;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Drives an external discoveryd (the real jar, its own process) by address, as a Talos fleet would: N clusters x M
 * nodes, each node with one connection, one Watch and an AffiliateUpdate every TTL/2 (compressed in time by
 * {@code --time-scale}), with reconnect storms (a share of the nodes drop their connection at once and come back).
 *
 * <pre>java -cp ops/target/loadgen.jar dev.discoveryd.ops.FleetLoad --target=127.0.0.1:3000 [--clusters=100]
 *     [--nodes=10] [--ttl=30m] [--time-scale=60] [--duration=60s] [--ramp=10s] [--storms=2] [--storm-share=1.0]
 *     [--data-bytes=300] [--event-loops=2] [--server-pid=PID] [--tls=false]</pre>
 */
public final class FleetLoad {
    record Config(SocketAddress target, int clusters, int nodes, Duration ttl, double timeScale, Duration duration,
                  Duration ramp, int storms, double stormShare, int dataBytes, int eventLoops, long serverPid,
                  boolean tls) {
        static Config parse(String[] args) {
            String target = arg(args, "target", "");
            if (!target.contains(":")) {
                throw new IllegalArgumentException("--target=HOST:PORT of a running discoveryd is required");
            }
            int colon = target.lastIndexOf(':');
            return new Config(SocketAddress.inetSocketAddress(Integer.parseInt(target.substring(colon + 1)),
                    target.substring(0, colon)),
                    Integer.parseInt(arg(args, "clusters", "100")), Integer.parseInt(arg(args, "nodes", "10")),
                    GoDuration.parse(arg(args, "ttl", "30m")), Double.parseDouble(arg(args, "time-scale", "60")),
                    GoDuration.parse(arg(args, "duration", "60s")), GoDuration.parse(arg(args, "ramp", "10s")),
                    Integer.parseInt(arg(args, "storms", "2")), Double.parseDouble(arg(args, "storm-share", "1.0")),
                    Integer.parseInt(arg(args, "data-bytes", "300")), Integer.parseInt(arg(args, "event-loops", "2")),
                    Long.parseLong(arg(args, "server-pid", "0")), Boolean.parseBoolean(arg(args, "tls", "false")));
        }

        Duration refreshEvery() {
            return Duration.ofNanos((long) (ttl.toNanos() / 2 / timeScale));
        }

        int fleetSize() {
            return clusters * nodes;
        }
    }

    /** What a run found; {@code failures} counts nodes that could not (re)connect. */
    public record Report(int nodes, int failures, long updates, long deliveries, Histogram update, Histogram delivery,
                  List<Double> stormSeconds) {
    }

    public static void main(String[] args) throws Exception {
        Report r = run(args, System.out);
        System.exit(r.failures() == 0 ? 0 : 1);
    }

    /** One run with command-line flags, reporting to {@code out}. */
    public static Report run(String[] args, PrintStream out) throws Exception {
        return run(Config.parse(args), out);
    }

    static Report run(Config c, PrintStream out) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(c.eventLoops()));
        try {
            return new FleetLoad(c, vertx, out).run();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private final Config c;
    private final Vertx vertx;
    private final PrintStream out;
    private final FleetStats stats = new FleetStats();
    private final List<FleetNode> fleet = new ArrayList<>();
    private final Random random = new Random(14);

    private FleetLoad(Config c, Vertx vertx, PrintStream out) {
        this.c = c;
        this.vertx = vertx;
        this.out = out;
    }

    private Report run() throws Exception {
        out.printf("fleet: %d clusters x %d nodes = %d nodes -> %s; refresh every %s (TTL %s / 2, time x%.0f); %s; "
                        + "%d reconnect storm(s) of %.0f%% of the nodes%n", c.clusters(), c.nodes(), c.fleetSize(),
                c.target(), GoDuration.format(c.refreshEvery()), GoDuration.format(c.ttl()), c.timeScale(),
                GoDuration.format(c.duration()), c.storms(), c.stormShare() * 100);
        for (int cl = 0; cl < c.clusters(); cl++) {
            for (int n = 0; n < c.nodes(); n++) {
                fleet.add(new FleetNode(vertx, c.target(), stats, cl, n, fleet.size(), c.dataBytes(),
                        c.ttl().toSeconds(), c.tls()));
            }
        }
        long rampStart = System.nanoTime();
        int failures = connectAll(fleet, c.ramp(), Duration.ofSeconds(60));
        out.printf("ramp: %d nodes connected (Hello, AffiliateUpdate, Watch snapshot) in %.1f s, %d failed%n",
                c.fleetSize() - failures, (System.nanoTime() - rampStart) / 1e9, failures);
        ProcStats before = c.serverPid() > 0 ? ProcStats.read(c.serverPid()) : null;
        stats.drain();
        stats.measuring.set(true);
        long steadyStart = System.nanoTime();
        List<Long> timers = refreshTimers();
        List<Double> storms = new ArrayList<>();
        long phase = c.duration().toNanos() / (c.storms() + 1);
        for (int s = 1; s <= c.storms(); s++) {
            sleepUntil(steadyStart + s * phase);
            storms.add(storm(s));
        }
        sleepUntil(steadyStart + c.duration().toNanos());
        stats.measuring.set(false);
        double seconds = (System.nanoTime() - steadyStart) / 1e9;
        timers.forEach(vertx::cancelTimer);
        ProcStats after = c.serverPid() > 0 ? ProcStats.read(c.serverPid()) : null;
        Map<String, Histogram> h = stats.drain();
        out.printf("steady phase %.1f s (storms included), latency from the request's start:%n", seconds);
        h.forEach((name, hist) -> out.println("  " + FleetStats.line(name.equals("delivery")
                ? "watch delivery" : name, hist, seconds)));
        Histogram update = h.getOrDefault(FleetStats.UPDATE, new Histogram(3));
        Histogram delivery = h.get("delivery");
        long expected = update.getTotalCount() * (c.nodes() - 1);
        out.printf("  watch deliveries: %d of %d expected (each refresh reaches the cluster's %d other nodes unless they are "
                + "reconnecting in a storm)%n",
                delivery.getTotalCount(), expected, c.nodes() - 1);
        out.println("outcomes: " + stats.outcomes());
        if (before != null) {
            double cpu = after.cpuSeconds() - before.cpuSeconds();
            out.printf("server pid %d: CPU %.1f%% of one core (%.2f ms per node per refresh period, %.0f µs per request);"
                            + " RSS %.0f MiB, peak %.0f MiB = %.0f KiB per node%n", c.serverPid(), 100 * cpu / seconds,
                    1000 * cpu / c.fleetSize() / (seconds / c.refreshEvery().toNanos() * 1e9),
                    1e6 * cpu / Math.max(1, requests(h)), after.rssBytes() / 1048576.0, after.peakRssBytes() / 1048576.0,
                    after.rssBytes() / 1024.0 / c.fleetSize());
        }
        for (FleetNode n : fleet) {
            n.disconnect();
        }
        return new Report(c.fleetSize(), failures, update.getTotalCount(), delivery.getTotalCount(), update, delivery,
                storms);
    }

    private static long requests(Map<String, Histogram> h) {
        return h.entrySet().stream().filter(e -> !e.getKey().equals("delivery"))
                .mapToLong(e -> e.getValue().getTotalCount()).sum();
    }

    /** One periodic refresh per node, phases spread over the period as a real fleet's are. */
    private List<Long> refreshTimers() {
        long every = Math.max(1, c.refreshEvery().toMillis());
        List<Long> timers = new ArrayList<>();
        for (FleetNode n : fleet) {
            long first = 1 + (long) (random.nextDouble() * every);
            timers.add(vertx.setPeriodic(first, every, id -> {
                if (n.watching()) {
                    n.refresh();
                }
            }));
        }
        return timers;
    }

    /** A share of the nodes drop their connections at once and reconnect at once; seconds until all are back. */
    private double storm(int number) throws InterruptedException {
        List<FleetNode> shuffled = new ArrayList<>(fleet);
        Collections.shuffle(shuffled, random);
        List<FleetNode> hit = shuffled.subList(0, (int) Math.round(shuffled.size() * c.stormShare()));
        long t0 = System.nanoTime();
        List<Future<Void>> dropped = new ArrayList<>();
        for (FleetNode n : hit) {
            dropped.add(n.disconnect());
        }
        Future.join(dropped).toCompletionStage().toCompletableFuture().handle((v, e) -> null).join();
        int failed = connectAll(hit, Duration.ZERO, Duration.ofSeconds(60));
        double took = (System.nanoTime() - t0) / 1e9;
        out.printf("storm %d: %d nodes dropped their connection and were all back (Hello, AffiliateUpdate, Watch "
                + "snapshot) in %.2f s, %d did not come back%n", number, hit.size(), took, failed);
        return took;
    }

    /**
     * Connects the nodes spread over {@code spread} (zero: all at once); a node that fails retries after a second, as
     * Talos does, until {@code within} has passed. Returns how many never connected.
     */
    private int connectAll(List<FleetNode> nodes, Duration spread, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + spread.toNanos() + within.toNanos();
        List<Future<Void>> all = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            FleetNode n = nodes.get(i);
            long delay = nodes.size() <= 1 ? 0 : spread.toMillis() * i / nodes.size();
            Promise<Void> done = Promise.promise();
            if (delay == 0) {
                vertx.runOnContext(v -> attempt(n, done, deadline));
            } else {
                vertx.setTimer(delay, id -> attempt(n, done, deadline));
            }
            all.add(done.future());
        }
        Future.join(all).toCompletionStage().toCompletableFuture().handle((v, e) -> null).join();
        return (int) all.stream().filter(Future::failed).count();
    }

    private void attempt(FleetNode n, Promise<Void> done, long deadline) {
        n.connect().onSuccess(done::tryComplete).onFailure(e -> n.disconnect().onComplete(x -> {
            if (System.nanoTime() > deadline) {
                done.tryFail(e);
            } else {
                vertx.setTimer(1000, id -> attempt(n, done, deadline));
            }
        }));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
