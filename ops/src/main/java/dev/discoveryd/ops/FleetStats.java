package dev.discoveryd.ops;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** What the fleet's nodes measure: latency per RPC, watch delivery latency, outcomes by status. Thread-safe. */
final class FleetStats {
    static final String HELLO = "Hello";
    static final String UPDATE = "AffiliateUpdate";
    static final String CONNECT_UPDATE = "AffiliateUpdate (join)";
    static final String WATCH_OPEN = "Watch (to snapshot)";

    private final Map<String, Recorder> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Recorder delivery = new Recorder(3);
    private final LongAdder deliveries = new LongAdder();
    /** Only the steady phase counts; the ramp and storms are reported on their own. */
    final AtomicBoolean measuring = new AtomicBoolean();

    void rpc(String method, long nanos, String status) {
        outcomes.computeIfAbsent(method + " " + status, k -> new LongAdder()).increment();
        if (measuring.get() && status.equals("OK")) {
            latency.computeIfAbsent(method, k -> new Recorder(3)).recordValue(Math.max(1, nanos));
        }
    }

    void delivered(long nanos) {
        if (measuring.get() && nanos > 0) {
            delivery.recordValue(nanos);
            deliveries.increment();
        }
    }

    /** Latency histograms since the last call, by method, plus the watch delivery histogram under "delivery". */
    Map<String, Histogram> drain() {
        Map<String, Histogram> out = new TreeMap<>();
        latency.forEach((m, r) -> out.put(m, r.getIntervalHistogram()));
        out.put("delivery", delivery.getIntervalHistogram());
        return out;
    }

    Map<String, Long> outcomes() {
        Map<String, Long> out = new TreeMap<>();
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static String line(String name, Histogram h, double seconds) {
        if (h.getTotalCount() == 0) {
            return String.format("%-22s none", name);
        }
        return String.format("%-22s %8.1f/s  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %8.2f ms  (%d)", name,
                h.getTotalCount() / seconds, ms(h, 50), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1e6, h.getTotalCount());
    }

    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }
}
