package dev.discoveryd.service;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.service.grpc.Routing;
import dev.discoveryd.service.scaleout.KafkaShards;
import dev.discoveryd.service.scaleout.PartitionSnapshots;
import dev.discoveryd.service.config.PersistenceConfig;
import dev.discoveryd.service.persistence.KeyRingCipher;

import dev.discoveryd.eventlog.WriterFaults;
import dev.discoveryd.api.GoDuration;
import dev.discoveryd.service.config.OpsConfig;
import dev.discoveryd.service.config.ServeOptions;
import dev.discoveryd.service.config.ServerConfig;
import dev.discoveryd.service.grpc.ClientIp;
import dev.discoveryd.service.grpc.ClusterApi;
import dev.discoveryd.service.grpc.GrpcRouter;
import dev.discoveryd.service.grpc.WireEncoder;
import dev.discoveryd.service.ops.OpsSurface;
import dev.discoveryd.service.state.ClusterGate;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.StateListener;
import dev.discoveryd.service.persistence.StartupException;
import dev.discoveryd.service.persistence.StateStore;
import io.micrometer.core.instrument.Gauge;
import dev.discoveryd.service.startup.StartupPhases;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The running service: state, gRPC listeners and background jobs. Start with {@link #start}, stop with {@link #close}. */
public final class DiscoveryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryServer.class);

    private final ServerConfig config;
    private final Vertx vertx;
    private final ClusterRegistry registry;
    private final GarbageCollector gc;
    private final StateStore store;
    private final OpsSurface ops;
    /** With --log=kafka: the partitions this instance serves; null for one instance on its own log. */
    private final KafkaShards shards;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile int grpcPort = -1;
    private volatile boolean closed;
    private final StartupPhases phases = StartupPhases.begin();

    private DiscoveryServer(ServerConfig config, OpsConfig opsConfig, Clock clock, WriterFaults faults) {
        this.config = config;
        this.ops = new OpsSurface(config, opsConfig);
        phases.done("metrics");
        if (config.scaleOut() == null) {
            this.shards = null;
            this.store = StateStore.open(config.persistence(), clock, faults);
        } else {
            KeyRing keys = loadKeys(config);
            PersistenceConfig persistence = config.persistence();
            PartitionSnapshots snapshots = persistence.inMemory() || !persistence.snapshotsEnabled() ? null
                    : new PartitionSnapshots(persistence.dataDir(), config.scaleOut().topic(), new KeyRingCipher(keys));
            this.shards = KafkaShards.open(config.scaleOut(), keys, clock, snapshots, persistence.snapshotInterval());
            this.store = StateStore.replicated(config.persistence(), keys, clock);
            shards.register(ops.meters());
            ops.readiness().require(shards::notReady);
        }
        store.observe(ops.storage());
        // A log that stopped taking changes needs a restart: say so to probes and to alerts.
        ops.readiness().require(store::journalFailure);
        Gauge.builder("discovery.eventlog.stopped", store, s -> s.journalFailure() == null ? 0 : 1)
                .description("1 once the event log takes no more changes (writer fault, failed fsync) until a restart")
                .register(ops.meters());
        phases.done("store");
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
        phases.done("vertx");
        this.registry = new ClusterRegistry(shards != null ? shards.gate() : ClusterGate.always(store.journal()),
                new WireEncoder(),
                StateListener.all(store.stateListener(), ops.stateListener()), clock, config.persistence().clusterQueue());
        this.gc = new GarbageCollector(registry, ops::gcRan);
        Gauge.builder("discovery.state.queued.changes", registry, ClusterRegistry::queuedChanges)
                .description("changes waiting behind their cluster's change in flight (grows while the log stalls)")
                .register(ops.meters());
    }

    private static KeyRing loadKeys(ServerConfig config) {
        try {
            return KeyRing.loadOrCreate(config.persistence().dataDir(), config.persistence().keyFiles());
        } catch (RuntimeException e) {
            throw new StartupException("cannot load the at-rest keys: " + e.getMessage(), e);
        }
    }

    /** Starts the service with command-line flags (as {@code discoveryd} takes them); blocks until it listens. */
    public static DiscoveryServer start(String... args) throws Exception {
        return start(Clock.systemUTC(), args);
    }

    /** As {@link #start(String...)}, deciding expirations by {@code clock} (tests move it by hand). */
    public static DiscoveryServer start(Clock clock, String... args) throws Exception {
        ServeOptions options = new ServeOptions();
        new CommandLine(options).setPosixClusteredShortOptionsAllowed(false).parseArgs(args);
        return start(options.toConfig(), options.toOpsConfig(), clock);
    }

    public static DiscoveryServer start(ServerConfig config, Clock clock) throws Exception {
        return start(config, OpsConfig.defaults(), clock);
    }

    public static DiscoveryServer start(ServerConfig config, OpsConfig opsConfig, Clock clock) throws Exception {
        return start(config, opsConfig, clock, WriterFaults.NONE);
    }

    /** As {@link #start(ServerConfig, OpsConfig, Clock)}, with faults injected into the log writer (tests). */
    public static DiscoveryServer start(ServerConfig config, OpsConfig opsConfig, Clock clock, WriterFaults faults)
            throws Exception {
        DiscoveryServer server = new DiscoveryServer(config, opsConfig, clock, faults);
        try {
            server.listen();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen() throws Exception {
        ops.openSidePorts(vertx, registry);
        phases.done("side ports");
        // Warms the Hello path on the event loops while this thread rebuilds the state; the gRPC port opens after both.
        Future<Integer> warm = WarmUp.start(vertx, registry, config.watchQueue(), ops.maxMessageBytes());
        // The view is rebuilt before any listener opens: the first request sees the state as it was.
        StateStore.Recovered recovered = store.recover();
        registry.load(recovered.view(), recovered.position());
        store.startSnapshots(registry);
        if (shards != null) {
            // Partitions arrive from the group in the background; each is served once replayed (others: retry).
            shards.start(registry);
        }
        ops.stateLoaded(recovered.view());
        phases.done("recovery");
        int warmed = await(warm);
        phases.done("warm-up " + warmed + " Hellos");
        ClusterApi api = new ClusterApi(registry, new ClientIp(config.trustXRealIp(), config.trustFirstXForwardedFor()),
                ops.admission(), ops.observer(), config.redirectEndpoint(), config.watchQueue(), ops.watchGate(),
                ops.watchBudget(), config.debug(), shards != null ? shards : Routing.LOCAL);
        Handler<HttpServerRequest> web = ops.webHandler();
        // Port 0 would give every instance its own random port; Vert.x shares a random port among servers that ask
        // for the same negative port.
        int port = config.grpc().port() == 0 ? -1 : config.grpc().port();
        HttpServerOptions options = ops.secure(vertx, new HttpServerOptions()
                .setHost(config.grpc().host())
                .setPort(port)
                .setHttp2ClearTextEnabled(true)
                .setTcpNoDelay(true));
        // Netty closes the connection over a header block 1.25 times this size; GrpcRouter refuses smaller excesses
        // on their own stream (the defaults, 8 KiB and 10 KiB, closed a client's Watch with its oversized Hello).
        options.getInitialSettings().setMaxHeaderListSize(GrpcRouter.MAX_HEADER_BUFFER);
        for (int i = 0; i < config.eventLoops(); i++) {
            await(vertx.deployVerticle(new GrpcVerticle(api, options, web, ops.maxMessageBytes(), this::started)));
        }
        phases.done("listeners");
        ops.grpcListening(servers);
        gc.start(config.gcInterval());
        LOG.info("discoveryd serving gRPC on {} ({}), {} event loops, gc every {}; {}",
                config.grpc().withPort(grpcPort), config.tls() ? "TLS" : "h2c", config.eventLoops(),
                GoDuration.format(config.gcInterval()), phases.summary());
    }

    private void started(HttpServer server) {
        servers.add(server);
        if (grpcPort < 0) {
            grpcPort = server.actualPort();
        }
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** With --log=kafka, the partitions served here; else null. */
    public KafkaShards shards() {
        return shards;
    }

    public ClusterRegistry registry() {
        return registry;
    }

    /** Metrics, readiness, the side ports: where persistence registers its meters and reports its state. */
    public OpsSurface ops() {
        return ops;
    }

    /**
     * Stops accepting, ends watch streams, and releases everything. Idempotent. Every step runs even when one before
     * it failed (a failed step must not leave the event loops, which are not daemon threads, running); the first
     * failure of ops, expiry, watchers or storage is thrown at the end (listeners and Vert.x that do not stop in time
     * are only reported, as before).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException[] first = new RuntimeException[1];
        step(first, "ops", ops::close);
        step(first, "expiry", gc::close);
        step(first, "watchers", () -> registry.closeAllWatchers("server is shutting down"));
        try {
            for (HttpServer server : servers) {
                await(server.shutdown(5, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            LOG.warn("listeners did not stop cleanly: {}", e.toString());
        }
        try {
            await(vertx.close());
        } catch (Exception e) {
            LOG.warn("Vert.x did not stop cleanly: {}", e.toString());
        }
        if (shards != null) {
            step(first, "shards", shards::close);
        }
        step(first, "storage", store::close);
        if (first[0] != null) {
            throw first[0];
        }
        LOG.info("discoveryd stopped");
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(RuntimeException[] first, String name, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", name, e.toString());
            if (first[0] == null) {
                first[0] = new IllegalStateException("closing " + name + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
