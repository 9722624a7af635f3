package dev.discoveryd.ops;

import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.WatchRequest;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@code watchers} Watch streams on one cluster; each change is timed until the last watcher has it. */
final class FanOut {
    record Result(int watchers, int changes, double p50ms, double p99ms, double maxMs, double perWatcherP99ms) {
        @Override
        public String toString() {
            return String.format("fan-out to %d watchers: change delivered to all in p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                    + " (per-watcher p99 %.2f ms, %d changes)", watchers, p50ms, p99ms, maxMs, perWatcherP99ms, changes);
        }
    }

    static Result run(List<ClusterGrpcClient> connections, int watchers, int changes, int warmup) throws Exception {
        String cluster = "fanout";
        AtomicReference<CountDownLatch> pending = new AtomicReference<>(new CountDownLatch(watchers));
        long[] sentAt = new long[1];
        Histogram perWatcher = new Histogram(3);
        CountDownLatch subscribed = new CountDownLatch(watchers);
        for (int i = 0; i < watchers; i++) {
            ClusterGrpcClient c = connections.get(i % connections.size());
            boolean[] first = {true};
            c.watch(WatchRequest.newBuilder().setClusterId(cluster).build()).onSuccess(stream -> stream.handler(m -> {
                if (first[0]) {
                    first[0] = false;
                    subscribed.countDown();
                    return;
                }
                long took = System.nanoTime() - sentAt[0];
                synchronized (perWatcher) {
                    perWatcher.recordValue(took);
                }
                pending.get().countDown();
            })).onFailure(e -> System.err.println("watch failed: " + e));
        }
        if (!subscribed.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (watchers - subscribed.getCount()) + " watchers subscribed");
        }
        Histogram all = new Histogram(3);
        ClusterGrpcClient writer = connections.get(0);
        for (int i = 0; i < warmup + changes; i++) {
            CountDownLatch latch = new CountDownLatch(watchers);
            pending.set(latch);
            AffiliateUpdateRequest req = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId("writer")
                    .setAffiliateData(LoadGen.data(i)).addAffiliateEndpoints(LoadGen.endpoint(i))
                    .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600)).build();
            long t0 = System.nanoTime();
            sentAt[0] = t0;
            writer.affiliateUpdate(req);
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("change " + i + " reached only " + (watchers - latch.getCount()) + " watchers");
            }
            if (i == warmup) {
                synchronized (perWatcher) {
                    perWatcher.reset();
                }
            }
            if (i >= warmup) {
                all.recordValue(System.nanoTime() - t0);
            }
        }
        return new Result(watchers, changes, all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(99) / 1e6,
                all.getMaxValue() / 1e6, perWatcher.getValueAtPercentile(99) / 1e6);
    }

    private FanOut() {
    }
}
