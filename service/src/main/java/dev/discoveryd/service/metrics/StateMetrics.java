package dev.discoveryd.service.metrics;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;
import dev.discoveryd.service.state.DroppedException;
import dev.discoveryd.service.state.StateListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The discovery_state_* meters, kept by counting what the registry reports (no scan of the state on scrape), and the
 * totals the /stats page shows. {@link #loaded} adds a view rebuilt at start-up.
 */
public final class StateMetrics implements StateListener {
    private final AtomicLong clusters = new AtomicLong();
    private final AtomicLong affiliates = new AtomicLong();
    private final AtomicLong endpoints = new AtomicLong();
    private final AtomicLong subscriptions = new AtomicLong();
    private final Counter gcRuns;
    private final Counter gcClusters;
    private final Counter gcAffiliates;
    private final Counter journalFailures;
    private final Counter queueRefused;
    private final Counter droppedDeadline;
    private final Counter droppedCancelled;
    private final DistributionSummary batchChanges;

    public StateMetrics(MeterRegistry meters) {
        gauge(meters, "discovery.state.clusters", clusters, "clusters in memory");
        gauge(meters, "discovery.state.affiliates", affiliates, "affiliates over all clusters");
        gauge(meters, "discovery.state.endpoints", endpoints, "endpoints over all affiliates");
        gauge(meters, "discovery.state.subscriptions", subscriptions, "open Watch streams");
        gcRuns = Counter.builder("discovery.state.gc.runs").description("garbage collection runs").register(meters);
        gcClusters = Counter.builder("discovery.state.gc.clusters")
                .description("clusters forgotten because they had no affiliates and no watchers").register(meters);
        gcAffiliates = Counter.builder("discovery.state.gc.affiliates")
                .description("affiliates removed because they expired").register(meters);
        journalFailures = Counter.builder("discovery.state.journal.failures")
                .description("changes refused because the event log could not record them").register(meters);
        queueRefused = Counter.builder("discovery.state.queue.refused")
                .description("changes refused (UNAVAILABLE) because their cluster's queue was full").register(meters);
        droppedDeadline = dropped(meters, "deadline");
        droppedCancelled = dropped(meters, "cancelled");
        // A few fixed buckets: whether group commit batches at all, and how far (1 means every change paid its own write).
        batchChanges = DistributionSummary.builder("discovery.state.batch.changes")
                .description("changes of one cluster handed to the event log in one call (group commit)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024).register(meters);
    }

    private static Counter dropped(MeterRegistry meters, String reason) {
        return Counter.builder("discovery.state.commands.dropped").tag("reason", reason)
                .description("queued changes dropped before the log because the caller had gone").register(meters);
    }

    private static void gauge(MeterRegistry meters, String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get).description(description).register(meters);
    }

    /** Counts a view rebuilt at start-up (the registry reports only its clusters while loading it). */
    public void loaded(View view) {
        for (ClusterState cluster : view.clusters()) {
            affiliates.addAndGet(cluster.size());
            endpoints.addAndGet(cluster.endpointCount());
        }
    }

    /** One garbage collection run finished. */
    public void gcRan() {
        gcRuns.increment();
    }

    @Override
    public void applied(Event event, LogPosition position, int affiliateDelta, int endpointDelta) {
        affiliates.addAndGet(affiliateDelta);
        endpoints.addAndGet(endpointDelta);
        if (event instanceof Event.AffiliateExpired) {
            gcAffiliates.increment();
        }
    }

    @Override
    public void affiliatesMoved(int affiliateDelta, int endpointDelta) {
        affiliates.addAndGet(affiliateDelta);
        endpoints.addAndGet(endpointDelta);
    }

    @Override
    public void clusterCreated(String clusterId) {
        clusters.incrementAndGet();
    }

    @Override
    public void clusterForgotten(String clusterId) {
        clusters.decrementAndGet();
        gcClusters.increment();
    }

    @Override
    public void clusterReleased(String clusterId) {
        clusters.decrementAndGet(); // handed over, not collected
    }

    @Override
    public void watchersChanged(int delta) {
        subscriptions.addAndGet(delta);
    }

    @Override
    public void journalFailed(Throwable cause) {
        journalFailures.increment();
    }

    @Override
    public void batchJournaled(int changes, int events) {
        batchChanges.record(changes);
    }

    @Override
    public void queueRefused() {
        queueRefused.increment();
    }

    @Override
    public void commandDropped(String reason) {
        (DroppedException.CANCELLED.equals(reason) ? droppedCancelled : droppedDeadline).increment();
    }

    public long clusters() {
        return clusters.get();
    }

    public long affiliates() {
        return affiliates.get();
    }

    public long endpoints() {
        return endpoints.get();
    }

    public long subscriptions() {
        return subscriptions.get();
    }
}
