package dev.discoveryd.ops.soak;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.api.GoDuration;
import dev.discoveryd.service.h2.RawH2;
import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The attack soak (ops/soak-attack.sh): the service jar as its own process on loopback, a full cluster, the attackers
 * of {@link Attackers} from several 127.0.0.x addresses, and a well-behaved {@link GoodClient} whose Hello latency,
 * Watch delivery latency and acknowledged updates are checked against stated bounds, while the service's heap and
 * RSS are sampled. Ends by itself after {@code --duration}; at the end the service is killed (SIGKILL) and restarted
 * on its data directory to check that every acknowledged update survived. Exit code 0 when every bound holds.
 */
public final class AttackSoak {
    private static volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        Duration duration = GoDuration.parse(arg(args, "duration", "90s"));
        String heap = arg(args, "heap", "512m");
        Path jar = Path.of(arg(args, "jar", "service/target/discoveryd.jar"));
        long boundHelloMs = Long.parseLong(arg(args, "hello-p99-ms", "250"));
        long boundDeliveryMs = Long.parseLong(arg(args, "delivery-p99-ms", "500"));
        long boundHeapMib = Long.parseLong(arg(args, "heap-max-mib", "384"));
        Path work = Files.createTempDirectory("discoveryd-soak");
        Path data = work.resolve("data");
        System.out.printf("attack soak: %s, -Xmx%s, data and service log in %s%n", GoDuration.format(duration), heap, work);

        ServiceProcess service = ServiceProcess.start(jar, heap, data, work.resolve("service-1.log"));
        fillFullCluster(service.grpcPort);
        GoodClient good = new GoodClient(service.grpcPort, () -> running);
        Attackers attackers = new Attackers(service.grpcPort, service.pagesPort, () -> running);
        long[] heapMax = {0};
        long[] rssMax = {0};
        Thread sampler = new Thread(() -> {
            while (running) {
                heapMax[0] = Math.max(heapMax[0], service.heapUsed());
                rssMax[0] = Math.max(rssMax[0], service.rss());
                sleep(1000);
            }
        }, "sampler");
        sampler.setDaemon(true);
        List<Thread> threads = new ArrayList<>(good.start());
        sampler.start();
        sleep(GoDuration.parse(arg(args, "baseline", "15s")).toMillis()); // the good client alone, for comparison
        good.phase = 1;
        threads.addAll(attackers.start(Set.of(arg(args, "attacks", "watchers,malformed,reset,headers,inspect").split(","))));
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end && service.process.isAlive()) {
            sleep(1000);
        }
        boolean survived = service.process.isAlive();
        running = false;
        for (Thread t : threads) {
            t.join(15_000);
        }
        boolean watchOpen = !good.watch.end.isDone();
        String watchEnd = good.watch.toString();
        boolean forbiddenAbsent = survived && list(service.grpcPort, Attackers.FULL).getAffiliatesList().stream()
                .noneMatch(a -> a.getId().equals(Attackers.FORBIDDEN));
        int errors = service.errors();
        int traces = service.traces();
        service.kill();

        // Restarted after SIGKILL on the same data: every acknowledged update is there.
        ServiceProcess restarted = ServiceProcess.start(jar, heap, data, work.resolve("service-2.log"));
        int lostAfterRestart = 0;
        Map<String, Long> stored = new TreeMap<>();
        for (var a : list(restarted.grpcPort, GoodClient.CLUSTER).getAffiliatesList()) {
            stored.put(a.getId(), ByteBuffer.wrap(a.getData().toByteArray()).getLong());
        }
        for (int i = 0; i < GoodClient.AFFILIATES; i++) {
            long want = good.lastAcked[i];
            if (want > 0 && !Long.valueOf(want).equals(stored.get("node-" + i))) {
                lostAfterRestart++;
            }
        }
        restarted.close();
        long notDelivered = good.acked.stream().filter(s -> !good.seen.contains(s)).count();

        System.out.println("attackers: ");
        new TreeMap<>(attackers.counts).forEach((k, v) -> System.out.printf("  %-60s %d%n", k, v.get()));
        long helloP99 = ms(good.hello[1], 99), deliveryP99 = ms(good.delivery[1], 99), heapMib = heapMax[0] >> 20;
        String[] phases = {"alone", "under attack"};
        for (int p = 0; p < 2; p++) {
            System.out.printf("good client %s: %d Hellos p50 %d ms p99 %d ms max %d ms; %d Watch deliveries p50 %d ms p99 %d ms max %d ms%n",
                    phases[p], good.hello[p].getTotalCount(), ms(good.hello[p], 50), ms(good.hello[p], 99),
                    good.hello[p].getMaxValue() / 1_000_000, good.delivery[p].getTotalCount(), ms(good.delivery[p], 50),
                    ms(good.delivery[p], 99), good.delivery[p].getMaxValue() / 1_000_000);
        }
        System.out.printf("good client: %d failed Hellos %s; %d updates acknowledged, %d failed, %d not delivered; watch %s%n",
                good.failedHellos, good.helloFailures, good.acked.size(), good.failedUpdates, notDelivered,
                watchOpen ? "open to the end" : "ENDED: " + watchEnd);
        System.out.printf("service: heap max %d MiB, RSS max %d MiB, %d ERROR lines, %d stack-trace lines, alive to the end: %s%n",
                heapMib, rssMax[0] >> 20, errors, traces, survived);
        List<String> failed = new ArrayList<>();
        check(failed, survived, "the service died");
        check(failed, helloP99 <= boundHelloMs, "Hello p99 " + helloP99 + " ms > " + boundHelloMs);
        check(failed, deliveryP99 <= boundDeliveryMs, "Watch delivery p99 " + deliveryP99 + " ms > " + boundDeliveryMs);
        check(failed, heapMib <= boundHeapMib, "heap " + heapMib + " MiB > " + boundHeapMib);
        check(failed, good.failedHellos == 0 && good.failedUpdates == 0, "the good client had failed calls");
        check(failed, notDelivered == 0 && watchOpen, notDelivered + " acknowledged updates never reached the watcher");
        check(failed, lostAfterRestart == 0, lostAfterRestart + " acknowledged updates lost after kill -9");
        check(failed, forbiddenAbsent, "a malformed two-message update was applied");
        check(failed, traces == 0, "the service logged stack traces");
        System.out.printf("bounds: Hello p99 <= %d ms, delivery p99 <= %d ms, heap <= %d MiB, nothing lost: %s%n",
                boundHelloMs, boundDeliveryMs, boundHeapMib, failed.isEmpty() ? "ALL HELD" : "FAILED " + failed);
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    /** 1024 affiliates of 2 KiB data and 64 endpoints (4.3 MB snapshots), from 32 addresses to stay inside the burst. */
    private static void fillFullCluster(int port) throws Exception {
        List<ByteString> endpoints = new ArrayList<>();
        for (int e = 0; e < 64; e++) {
            endpoints.add(ByteString.copyFrom(ByteBuffer.allocate(32).putInt(e).array()));
        }
        for (int a = 0; a < 32; a++) {
            try (RawH2 h2 = RawH2.connect(InetAddress.getByName("127.0.1." + (a + 1)), "127.0.0.1", port, -1, true)) {
                for (int i = a * 32; i < (a + 1) * 32; i++) {
                    byte[] req = AffiliateUpdateRequest.newBuilder().setClusterId(Attackers.FULL).setAffiliateId("affiliate-" + i)
                            .setAffiliateData(ByteString.copyFrom(new byte[2048])).addAllAffiliateEndpoints(endpoints)
                            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build().toByteArray();
                    Integer status = h2.call("AffiliateUpdate", RawH2.grpcFrame(req)).grpcStatus();
                    if (status == null || status != 0) {
                        throw new IllegalStateException("filling the full cluster failed: grpc-status " + status);
                    }
                }
            }
        }
    }

    private static ListResponse list(int port, String cluster) throws Exception {
        try (RawH2 h2 = RawH2.connect(InetAddress.getByName("127.0.0.3"), "127.0.0.1", port, -1, true)) {
            RawH2.Stream s = h2.call("List", RawH2.grpcFrame(ListRequest.newBuilder().setClusterId(cluster).build().toByteArray()));
            return ListResponse.parseFrom(s.messages().get(0));
        }
    }

    private static void check(List<String> failed, boolean ok, String what) {
        if (!ok) {
            failed.add(what);
        }
    }

    private static long ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1_000_000;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
