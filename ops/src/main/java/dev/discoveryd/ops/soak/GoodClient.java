package dev.discoveryd.ops.soak;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.service.h2.RawH2;
import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The well-behaved node of the soak, from its own address and within the default rate limit: a Hello every 125 ms
 * (latency), an AffiliateUpdate every 250 ms to its own cluster, and a Watch of that cluster that must deliver every
 * acknowledged update (delivery latency: from sending the update to the watcher seeing it).
 */
final class GoodClient {
    static final String CLUSTER = "soak-good";
    static final int AFFILIATES = 8;

    private final int port;
    private final BooleanSupplier running;
    /** Latencies before the attack starts (index 0) and under attack (1). */
    final Histogram[] hello = {new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3)};
    final Histogram[] delivery = {new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3)};
    volatile int phase;
    final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    final Set<Long> acked = ConcurrentHashMap.newKeySet();
    final Set<Long> seen = ConcurrentHashMap.newKeySet();
    final long[] lastAcked = new long[AFFILIATES];
    volatile String helloFailures = "";
    volatile int failedHellos;
    volatile int failedUpdates;
    volatile RawH2.Stream watch;
    private volatile boolean updatesDone;

    GoodClient(int port, BooleanSupplier running) {
        this.port = port;
        this.running = running;
    }

    static byte[] data(long seq) {
        return ByteBuffer.allocate(64).putLong(seq).array();
    }

    List<Thread> start() throws Exception {
        RawH2 watcher = RawH2.connect(InetAddress.getByName("127.0.0.2"), "127.0.0.1", port, -1, true);
        int id = watcher.open(RawH2.grpcHeaders("Watch"), false);
        watcher.data(id, RawH2.grpcFrame(WatchRequest.newBuilder().setClusterId(CLUSTER).build().toByteArray()), true);
        watch = watcher.stream(id);
        List<Thread> threads = List.of(new Thread(this::hellos, "good-hello"), new Thread(this::updates, "good-update"),
                new Thread(this::watchLoop, "good-watch"));
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
        return threads;
    }

    private void hellos() {
        byte[] body = RawH2.grpcFrame(HelloRequest.newBuilder().setClusterId(CLUSTER).setClientVersion("v1.9.0").build().toByteArray());
        try (RawH2 h2 = RawH2.connect(InetAddress.getByName("127.0.0.2"), "127.0.0.1", port, -1, true)) {
            while (running.getAsBoolean()) {
                long t0 = System.nanoTime();
                Integer status;
                try {
                    status = h2.call("Hello", body).grpcStatus();
                } catch (Exception e) {
                    status = null;
                }
                hello[phase].recordValue(System.nanoTime() - t0);
                if (status == null || status != 0) {
                    failedHellos++;
                    helloFailures = "last: grpc-status " + status;
                }
                Thread.sleep(125);
            }
        } catch (Exception e) {
            helloFailures = "hello connection failed: " + e;
        }
    }

    private void updates() {
        try (RawH2 h2 = RawH2.connect(InetAddress.getByName("127.0.0.2"), "127.0.0.1", port, -1, true)) {
            for (long seq = 1; running.getAsBoolean(); seq++) {
                int affiliate = (int) (seq % AFFILIATES);
                byte[] req = AffiliateUpdateRequest.newBuilder().setClusterId(CLUSTER).setAffiliateId("node-" + affiliate)
                        .setAffiliateData(ByteString.copyFrom(data(seq)))
                        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build().toByteArray();
                sentAt.put(seq, System.nanoTime());
                Integer status;
                try {
                    status = h2.call("AffiliateUpdate", RawH2.grpcFrame(req)).grpcStatus();
                } catch (Exception e) {
                    status = null;
                }
                if (status != null && status == 0) {
                    acked.add(seq);
                    synchronized (lastAcked) {
                        lastAcked[affiliate] = seq;
                    }
                } else {
                    failedUpdates++;
                }
                Thread.sleep(250);
            }
        } catch (Exception e) {
            failedUpdates++;
        } finally {
            updatesDone = true;
        }
    }

    private void watchLoop() {
        int done = 0;
        // After the run, keep reading until every acknowledged update has arrived (or 10 s have passed).
        long grace = Long.MAX_VALUE;
        while (running.getAsBoolean() || !updatesDone || (!seen.containsAll(acked) && System.nanoTime() < grace)) {
            if (!running.getAsBoolean() && grace == Long.MAX_VALUE) {
                grace = System.nanoTime() + 10_000_000_000L;
            }
            List<byte[]> messages = watch.messages();
            for (; done < messages.size(); done++) {
                try {
                    WatchResponse m = WatchResponse.parseFrom(messages.get(done));
                    long now = System.nanoTime();
                    for (var a : m.getAffiliatesList()) {
                        long seq = ByteBuffer.wrap(a.getData().toByteArray()).getLong();
                        Long t0 = sentAt.get(seq);
                        if (t0 != null && seen.add(seq)) {
                            delivery[phase].recordValue(now - t0);
                        }
                    }
                } catch (Exception e) {
                    return;
                }
            }
            if (watch.end.isDone() && done >= watch.messages().size()) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
