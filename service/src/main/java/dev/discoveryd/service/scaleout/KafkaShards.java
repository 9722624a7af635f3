package dev.discoveryd.service.scaleout;

import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.kafka.KafkaLog;
import dev.discoveryd.kafka.KafkaLogOptions;
import dev.discoveryd.kafka.PartitionLog;
import dev.discoveryd.kafka.PartitionOwnership;
import dev.discoveryd.service.grpc.Routing;
import dev.discoveryd.service.state.ClusterGate;
import dev.discoveryd.service.schedule.ThreadScheduler;
import dev.discoveryd.service.state.ClusterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters this instance serves when many share them: the partitions the Kafka group assigns here. Journals each
 * change to its cluster's partition (acknowledged after Kafka's), rebuilds a partition's clusters by replaying it
 * when this instance takes the partition over, and drops them (ending their watchers) when it moves away. Routes
 * every other cluster to its owner.
 */
public final class KafkaShards implements Routing, PartitionOwnership.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaShards.class);

    private final ScaleOutConfig config;
    private final KafkaLog log;
    private final PartitionOwnership ownership;
    private final PartitionTerms terms;
    /** Null when this instance keeps no snapshots (--in-memory, --snapshots=false). */
    private final PartitionSnapshots snapshots;
    private final ThreadScheduler saver = new ThreadScheduler("kafka-snapshots");
    /** Per partition, the offset its last snapshot saved here covers (-1: none yet). */
    private final AtomicLongArray saved;
    private volatile ClusterRegistry registry;
    private volatile long lastCatchUpMillis;
    private volatile long lastCatchUpEvents;

    private KafkaShards(ScaleOutConfig config, KafkaLog log, PartitionSnapshots snapshots) {
        this.config = config;
        this.log = log;
        this.snapshots = snapshots;
        this.saved = new AtomicLongArray(config.partitions());
        for (int p = 0; p < config.partitions(); p++) {
            saved.set(p, LogPosition.NONE_OFFSET);
        }
        this.terms = new PartitionTerms(log::partitionOf);
        this.ownership = new PartitionOwnership(log, config.group(), config.advertiseEndpoint(), this);
    }

    /**
     * Connects to Kafka (creating the topic when missing); nothing is owned until {@link #start}. Snapshots (null:
     * none) are saved every {@code snapshotInterval} for each partition served.
     */
    public static KafkaShards open(ScaleOutConfig config, KeyRing keys, Clock clock, PartitionSnapshots snapshots,
                                   Duration snapshotInterval) {
        KafkaLogOptions options = KafkaLogOptions.defaults(config.bootstrap(), keys, config.instanceId())
                .withTopic(config.topic(), config.partitions(), config.replicationFactor(), config.minInsyncReplicas())
                .withClock(clock);
        KafkaShards shards = new KafkaShards(config, KafkaLog.connect(options), snapshots);
        if (snapshots != null) {
            shards.saver.every(snapshotInterval, shards::snapshotAll);
        }
        return shards;
    }

    /**
     * Which clusters the registry may hold, and where each journals: the cluster's partition, under the term this
     * instance took it over in, only while that term lasts.
     */
    public ClusterGate gate() {
        return terms;
    }

    /** Joins the group: partitions arrive (and are caught up on) in the background. */
    public void start(ClusterRegistry clusters) {
        this.registry = clusters;
        ownership.start();
    }

    @Override
    public Route route(String clusterId) {
        PartitionOwnership.Route route = ownership.route(clusterId);
        if (route instanceof PartitionOwnership.Route.Serve) {
            return Route.LOCAL;
        }
        if (route instanceof PartitionOwnership.Route.Redirect redirect) {
            return new Route.Elsewhere(redirect.endpoint());
        }
        return new Route.HandOver(((PartitionOwnership.Route.Retry) route).reason());
    }

    @Override
    public void acquired(PartitionLog partition) {
        long started = System.nanoTime();
        int p = partition.partition();
        // Anything left of an earlier ownership is stale: the partition is the truth.
        registry.release(id -> log.partitionOf(id) == p, "cluster state is being reloaded");
        // The partition log object is this claim's alone: its appends (and batches) carry this claim's owner epoch.
        PartitionTerm term = terms.begin(p, partition);
        PartitionCatchUp.Result caughtUp = PartitionCatchUp.run(partition, snapshots);
        registry.load(caughtUp.view(), caughtUp.last(), term);
        term.open();
        lastCatchUpMillis = (System.nanoTime() - started) / 1_000_000;
        lastCatchUpEvents = caughtUp.replayed();
        LOG.info("Partition {}: {} clusters loaded from {} and {} events replayed in {} ms ({})", p,
                caughtUp.view().clusterCount(), caughtUp.fromSnapshot() ? "its snapshot at " + caughtUp.last()
                        .offset(p) : "no snapshot", caughtUp.replayed(), lastCatchUpMillis, term);
        if (snapshots != null && caughtUp.replayed() > 0) {
            saver.executor().execute(() -> snapshot(term));
        }
    }

    /** Saves a snapshot of every partition served here (the periodic job). */
    private void snapshotAll() {
        for (int p : ownership.served()) {
            PartitionTerm term = terms.current(p);
            if (term != null) {
                snapshot(term);
            }
        }
    }

    /**
     * Saves the term's clusters with the partition offset they are known to hold: every event up to the last one
     * applied here, once the writes in flight have settled (as the single-instance snapshots do). Skipped when the
     * term ends meanwhile or writes do not settle; the next round tries again.
     */
    void snapshot(PartitionTerm term) {
        int p = term.partition();
        ClusterRegistry clusters = registry;
        if (clusters == null || !term.admits()) {
            return;
        }
        ClusterRegistry.Settled settled = clusters.settledPosition(Duration.ofSeconds(5));
        long offset = settled.position().offset(p);
        if (settled.unsettled() > 0 || offset == LogPosition.NONE_OFFSET || saved.get(p) == offset) {
            return; // not settled, nothing yet, or nothing new since the last save
        }
        List<String> ids = new ArrayList<>();
        for (String id : clusters.clusterIds()) {
            if (log.partitionOf(id) == p) {
                ids.add(id);
            }
        }
        List<ClusterState> copies = clusters.copyClusters(ids);
        if (!term.admits()) {
            return; // released while copying: the copies may be missing clusters already handed over
        }
        try {
            snapshots.save(p, LogPosition.START.advance(p, offset), copies);
            saved.set(p, offset);
            LOG.info("Partition {}: snapshot of {} clusters saved at offset {}", p, copies.size(), offset);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Partition {}: snapshot not saved (the next take-over replays more): {}", p, e.toString());
        }
    }

    @Override
    public void released(int partition) {
        // First: from here on nothing of this term is decided, created or journaled; then what it held goes.
        terms.end(partition);
        ClusterRegistry clusters = registry;
        if (clusters != null) {
            int n = clusters.release(id -> log.partitionOf(id) == partition,
                    "this cluster moved to another discoveryd instance; reconnect");
            if (n > 0) {
                LOG.info("Partition {}: {} clusters handed over", partition, n);
            }
        }
    }

    /** Null while ready; else why /readyz should say no (not in the group yet, or ownership failed). */
    public String notReady() {
        if (ownership.failure() != null) {
            return ownership.failure();
        }
        try {
            return ownership.awaitJoined(Duration.ZERO) ? null
                    : "joining the Kafka group " + config.group() + " (catching up on partitions "
                    + ownership.catchingUp() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The {@code discovery_kafka_*} meters: partitions served and catching up, redirects, the last catch-up. */
    public void register(MeterRegistry meters) {
        Gauge.builder("discovery.kafka.partitions.owned", ownership, o -> o.served().size())
                .description("log partitions this instance serves (claimed and caught up)").register(meters);
        Gauge.builder("discovery.kafka.partitions.catching.up", ownership, o -> o.catchingUp().size())
                .description("log partitions assigned here that are still being replayed (catch-up lag)")
                .register(meters);
        Gauge.builder("discovery.kafka.last.catchup.seconds", this, s -> s.lastCatchUpMillis / 1000.0)
                .description("how long the last partition take-over took to replay its partition").register(meters);
        Gauge.builder("discovery.kafka.last.catchup.events", this, s -> s.lastCatchUpEvents)
                .description("events replayed by the last partition take-over").register(meters);
        FunctionCounter.builder("discovery.kafka.redirects", ownership, PartitionOwnership::redirects)
                .description("requests for clusters another instance serves (Hello redirected, others refused)")
                .register(meters);
    }

    public PartitionOwnership ownership() {
        return ownership;
    }

    /** Leaves the group, so that the others take this instance's partitions at once, and disconnects. */
    @Override
    public void close() {
        saver.close();
        ownership.close();
        log.close();
    }
}
