package dev.discoveryd.ops.sim;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.View;
import dev.discoveryd.kafka.ClusterPartitions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Internet scale on paper, without sockets: C clusters x N nodes over I instances and P partitions, with Talos
 * traffic (each node: Hello through a load balancer to a random instance, a redirect to its cluster's owner, a Watch
 * there, an update every 15 minutes), then the loss of one instance and its reconnect storm. Cluster placement uses
 * the service's own partition function; the group's reassignment is modelled sticky; the heap per affiliate and the
 * replay rate are measured here with the real domain code (View.evolve). Prints per-instance load and memory,
 * redirects, and how long the lost instance's nodes took to be served again.
 *
 * <pre>java -cp ops.jar dev.discoveryd.ops.sim.ScaleOutSimulation [--clusters=100000] [--nodes=10]
 *   [--instances=16] [--partitions=48] [--session-timeout=45] [--retention-days=7] [--seed=1]</pre>
 */
public final class ScaleOutSimulation {
    private static final int REFRESH_SECONDS = 900;

    private final int clusters;
    private final int nodesPerCluster;
    private final int partitions;
    private final StickyAssignment assignment;
    private final int[] partitionOf;
    private final SplittableRandom random;
    private final double sessionTimeout;
    private final double retentionDays;

    ScaleOutSimulation(int clusters, int nodesPerCluster, int instances, int partitions, double sessionTimeout,
                       double retentionDays, long seed) {
        this.clusters = clusters;
        this.nodesPerCluster = nodesPerCluster;
        this.partitions = partitions;
        this.assignment = new StickyAssignment(partitions, instances);
        this.sessionTimeout = sessionTimeout;
        this.retentionDays = retentionDays;
        this.random = new SplittableRandom(seed);
        this.partitionOf = new int[clusters];
        for (int c = 0; c < clusters; c++) {
            partitionOf[c] = ClusterPartitions.partitionOf(clusterId(c), partitions);
        }
    }

    static String clusterId(int c) {
        return "sim-cluster-" + c;
    }

    /** What a run found. */
    record Report(long[] clustersPerInstance, long[] peakRequestsPerSecond, double[] steadyRequestsPerSecond,
                  long redirects, long stormRedirects, long stormAttempts, double recoverySeconds, double p50Seconds,
                  double p99Seconds, double catchUpSeconds, double bytesPerAffiliate, double replayEventsPerSecond,
                  int movedPartitions, int lost) {
    }

    Report run(double bytesPerAffiliate, double replayEventsPerSecond) {
        int instances = assignment.instances();
        long[] clustersPer = new long[instances];
        long[] partitionEvents = new long[partitions];
        for (int c = 0; c < clusters; c++) {
            clustersPer[assignment.ownerOf(partitionOf[c])]++;
            partitionEvents[partitionOf[c]] += (long) nodesPerCluster * (long) (retentionDays * 86400 / REFRESH_SECONDS);
        }
        // Steady state: every node's 15-minute refresh lands at its cluster's owner; its first Hello went through the
        // load balancer to a random instance, redirected unless that was the owner.
        long redirects = 0;
        double[] steady = new double[instances];
        for (int c = 0; c < clusters; c++) {
            int owner = assignment.ownerOf(partitionOf[c]);
            steady[owner] += nodesPerCluster / (double) REFRESH_SECONDS;
            for (int n = 0; n < nodesPerCluster; n++) {
                if (random.nextInt(instances) != owner) {
                    redirects++;
                }
            }
        }
        // The loss: the instance with the most clusters goes; its partitions move after the session timeout, and
        // each new owner claims and replays them one after another before serving.
        int lost = 0;
        for (int i = 1; i < instances; i++) {
            lost = clustersPer[i] > clustersPer[lost] ? i : lost;
        }
        List<Integer> moved = assignment.lose(lost);
        double[] servedAt = new double[partitions];
        double[] busyUntil = new double[instances];
        Arrays.fill(busyUntil, sessionTimeout);
        double catchUp = 0;
        for (int p : moved) {
            int owner = assignment.ownerOf(p);
            double replay = 0.3 + partitionEvents[p] / replayEventsPerSecond; // claim (measured ~0.3-1 s) + replay
            busyUntil[owner] += replay;
            servedAt[p] = busyUntil[owner];
            catchUp = Math.max(catchUp, servedAt[p] - sessionTimeout);
        }
        // The storm: each of the lost instance's nodes retries with exponential backoff (1 s doubling to 30 s, full
        // jitter) at a random live instance: refused (retry) until its partition is served, then redirected (unless
        // it hit the owner) and served.
        int horizon = 1200;
        long[][] perSecond = new long[instances][horizon];
        long stormRedirects = 0;
        long attempts = 0;
        int affected = 0;
        for (int c = 0; c < clusters; c++) {
            if (moved.contains(partitionOf[c])) {
                affected += nodesPerCluster;
            }
        }
        double[] reconnect = new double[affected];
        int k = 0;
        for (int c = 0; c < clusters; c++) {
            int p = partitionOf[c];
            if (!moved.contains(p)) {
                continue;
            }
            int owner = assignment.ownerOf(p);
            for (int n = 0; n < nodesPerCluster; n++) {
                double t = random.nextDouble();
                double backoff = 1;
                while (true) {
                    int entry = liveInstance(instances);
                    attempts++;
                    if (t < horizon) {
                        perSecond[entry][(int) t]++;
                    }
                    if (t >= servedAt[p]) {
                        if (entry != owner) {
                            stormRedirects++;
                            if (t < horizon) {
                                perSecond[owner][(int) t]++;
                            }
                        }
                        reconnect[k++] = t;
                        break;
                    }
                    t += random.nextDouble() * backoff;
                    backoff = Math.min(30, backoff * 2);
                }
            }
        }
        Arrays.sort(reconnect);
        long[] peak = new long[instances];
        for (int i = 0; i < instances; i++) {
            long steadyShare = Math.round(steady[i]);
            for (int s = 0; s < horizon; s++) {
                peak[i] = Math.max(peak[i], perSecond[i][s] + steadyShare);
            }
        }
        long[] clustersAfter = new long[instances];
        for (int c = 0; c < clusters; c++) {
            clustersAfter[assignment.ownerOf(partitionOf[c])]++;
        }
        return new Report(clustersAfter, peak, steady, redirects, stormRedirects, attempts,
                reconnect.length == 0 ? 0 : reconnect[reconnect.length - 1],
                percentile(reconnect, 0.50), percentile(reconnect, 0.99), catchUp, bytesPerAffiliate,
                replayEventsPerSecond, moved.size(), lost);
    }

    private int liveInstance(int instances) {
        while (true) {
            int i = random.nextInt(instances);
            if (assignment.isLive(i)) {
                return i;
            }
        }
    }

    private static double percentile(double[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** Heap per affiliate and replay (fold) rate of the real View, for Talos-sized affiliates. */
    static double[] measureDomain(int clusters, int nodes) {
        List<byte[]> endpoints = List.of(new byte[18], new byte[18]);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        View view = new View();
        long started = System.nanoTime();
        long events = 0;
        for (int round = 0; round < 2; round++) {
            for (int c = 0; c < clusters; c++) {
                for (int n = 0; n < nodes; n++) {
                    view.evolve(new Event.AffiliateUpdated(clusterId(c), "node-" + n, 1_000L + round,
                            new byte[300], endpoints, 10_000_000L + round));
                    events++;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        double perAffiliate = (after - before) / (double) view.affiliateCount();
        return new double[] {perAffiliate, events / seconds};
    }

    public static void main(String[] args) {
        int clusters = Integer.parseInt(arg(args, "clusters", "100000"));
        int nodes = Integer.parseInt(arg(args, "nodes", "10"));
        int instances = Integer.parseInt(arg(args, "instances", "16"));
        int partitions = Integer.parseInt(arg(args, "partitions", "48"));
        double session = Double.parseDouble(arg(args, "session-timeout", "45"));
        double retention = Double.parseDouble(arg(args, "retention-days", "7"));
        long seed = Long.parseLong(arg(args, "seed", "1"));
        double[] domain = measureDomain(Math.min(clusters, 20_000), nodes);
        Report r = new ScaleOutSimulation(clusters, nodes, instances, partitions, session, retention, seed)
                .run(domain[0], domain[1]);
        System.out.print(format(r, clusters, nodes, instances, partitions, session, retention));
    }

    static String format(Report r, int clusters, int nodes, int instances, int partitions, double session,
                         double retention) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d clusters x %d nodes, %d instances, %d partitions; measured: %.0f B"
                + " heap per affiliate, replay %.0f events/s (View.evolve, one core)%n", clusters, nodes, instances,
                partitions, r.bytesPerAffiliate(), r.replayEventsPerSecond()));
        out.append(String.format(Locale.ROOT, "steady state: %d redirects for %d first Hellos (%.1f%%)%n",
                r.redirects(), (long) clusters * nodes, 100.0 * r.redirects() / ((long) clusters * nodes)));
        out.append("instance  clusters after  heap MiB after  steady req/s before  peak req/s in the storm\n");
        for (int i = 0; i < instances; i++) {
            double mib = r.clustersPerInstance()[i] * nodes * r.bytesPerAffiliate() / (1 << 20);
            out.append(String.format(Locale.ROOT, "%8d  %14d  %14.0f  %19.1f  %23s%n", i, r.clustersPerInstance()[i],
                    mib, r.steadyRequestsPerSecond()[i], i == r.lost() ? "(lost)"
                            : Long.toString(r.peakRequestsPerSecond()[i])));
        }
        out.append(String.format(Locale.ROOT, "lost instance %d: %d partitions moved; session timeout %.0f s, then"
                + " catch-up %.1f s (replay of %.0f days of refreshes, no snapshots)%n", r.lost(), r.movedPartitions(),
                session, r.catchUpSeconds(), retention));
        out.append(String.format(Locale.ROOT, "storm: %d Hello attempts, %d redirects; nodes served again: p50 %.1f s,"
                + " p99 %.1f s, all %.1f s after the loss%n", r.stormAttempts(), r.stormRedirects(), r.p50Seconds(),
                r.p99Seconds(), r.recoverySeconds()));
        return out.toString();
    }

    private static String arg(String[] args, String name, String fallback) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        return fallback;
    }
}
