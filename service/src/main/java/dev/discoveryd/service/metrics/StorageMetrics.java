package dev.discoveryd.service.metrics;

import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import dev.discoveryd.core.port.StorageStats;
import dev.discoveryd.service.persistence.StorageObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The reference's discovery_storage_* meters, fed by the snapshot store's reports (or {@link #record} directly). The
 * "save" and "load" series exist from the start so that dashboards see zeros rather than gaps.
 */
public final class StorageMetrics implements StorageObserver {
    public static final String SAVE = "save";
    public static final String LOAD = "load";

    private final MeterRegistry meters;
    private final Map<String, Last> last = new ConcurrentHashMap<>();
    /** Wall-clock millis when the snapshot last covered the whole log (alerts compare it with time()). */
    private final AtomicLong currentAt = new AtomicLong(System.currentTimeMillis());
    private final AtomicLong unsettled = new AtomicLong();
    /** The log's counters, held here: Micrometer keeps a function counter's object only weakly. */
    private final java.util.List<LongSupplier> logCounters = new java.util.concurrent.CopyOnWriteArrayList<>();

    public StorageMetrics(MeterRegistry meters) {
        this(meters, false);
    }

    /** {@code snapshots}: snapshots are written, so their freshness is exported (absent otherwise: nothing to go stale). */
    public StorageMetrics(MeterRegistry meters, boolean snapshots) {
        this.meters = meters;
        Gauge.builder("discovery.storage.unsettled.clusters", unsettled, AtomicLong::get)
                .description("clusters whose changes in flight did not settle for the last snapshot (it then keeps "
                        + "its previous log index)").register(meters);
        for (String operation : new String[]{SAVE, LOAD}) {
            last(operation);
            counter(operation, true);
            counter(operation, false);
        }
        if (snapshots) {
            Gauge.builder("discovery.storage.snapshot.current.timestamp", currentAt, t -> t.get() / 1000.0)
                    .baseUnit("seconds").description("when the snapshot last covered the whole event log (start-up "
                            + "time until the first check)").register(meters);
        }
    }

    @Override
    public void loaded(LoadResult result) {
        if (result instanceof LoadResult.Loaded loaded) {
            record(LOAD, loaded.stats());
        } else if (result instanceof LoadResult.Failed) {
            counter(LOAD, false).increment();
        }
    }

    @Override
    public void saved(SaveResult result) {
        record(SAVE, result.stats());
    }

    @Override
    public void saveFailed() {
        counter(SAVE, false).increment();
    }

    @Override
    public void upToDate() {
        currentAt.set(System.currentTimeMillis());
    }

    @Override
    public void logOpened(LongSupplier syncs) {
        logCounters.add(syncs);
        FunctionCounter.builder("discovery.storage.log.syncs", syncs, LongSupplier::getAsLong)
                .description("fsyncs of the event log (with --log-sync=always, fewer than appends under concurrency)")
                .register(meters);
    }

    @Override
    public void logWriter(LongSupplier batches, LongSupplier records, LongSupplier wakeups) {
        logCounters.addAll(java.util.List.of(batches, records, wakeups));
        FunctionCounter.builder("discovery.storage.log.batches", batches, LongSupplier::getAsLong)
                .description("batches the event log writer wrote (records over batches: what group commit gathers)")
                .register(meters);
        FunctionCounter.builder("discovery.storage.log.records", records, LongSupplier::getAsLong)
                .description("records the event log writer wrote").register(meters);
        FunctionCounter.builder("discovery.storage.log.writer.wakeups", wakeups, LongSupplier::getAsLong)
                .description("times an append woke the idle event log writer thread").register(meters);
    }

    @Override
    public void unsettled(int clusters) {
        unsettled.set(clusters);
    }

    private void record(String operation, StorageStats s) {
        record(operation, true, s.sizeBytes(), s.clusters(), s.affiliates(), s.endpoints(), s.duration());
    }

    /** One snapshot save or load finished ({@code ok} false: it failed, and only the counter moves). */
    public void record(String operation, boolean ok, long sizeBytes, long clusters, long affiliates, long endpoints,
                       Duration took) {
        counter(operation, ok).increment();
        if (!ok) {
            return;
        }
        Last l = last(operation);
        l.size.set(sizeBytes);
        l.clusters.set(clusters);
        l.affiliates.set(affiliates);
        l.endpoints.set(endpoints);
        l.nanos.set(took.toNanos());
    }

    private Counter counter(String operation, boolean ok) {
        return Counter.builder("discovery.storage.operations").description("snapshot operations by result")
                .tag("operation", operation).tag("status", ok ? "success" : "error").register(meters);
    }

    private Last last(String operation) {
        return last.computeIfAbsent(operation, op -> new Last(meters, op));
    }

    /** The gauges of one operation's most recent success. */
    private static final class Last {
        final AtomicLong size = new AtomicLong();
        final AtomicLong clusters = new AtomicLong();
        final AtomicLong affiliates = new AtomicLong();
        final AtomicLong endpoints = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();

        Last(MeterRegistry meters, String operation) {
            Gauge.builder("discovery.storage.last.snapshot.size", size, AtomicLong::get).baseUnit("bytes")
                    .tag("operation", operation).description("size of the last snapshot").register(meters);
            Gauge.builder("discovery.storage.last.operation.clusters", clusters, AtomicLong::get)
                    .tag("operation", operation).description("clusters in the last snapshot").register(meters);
            Gauge.builder("discovery.storage.last.operation.affiliates", affiliates, AtomicLong::get)
                    .tag("operation", operation).description("affiliates in the last snapshot").register(meters);
            Gauge.builder("discovery.storage.last.operation.endpoints", endpoints, AtomicLong::get)
                    .tag("operation", operation).description("endpoints in the last snapshot").register(meters);
            Gauge.builder("discovery.storage.last.operation.duration", nanos, n -> n.get() / 1e9).baseUnit("seconds")
                    .tag("operation", operation).description("how long the last operation took").register(meters);
        }
    }
}
