package dev.discoveryd.service.ops;

import dev.discoveryd.core.View;
import dev.discoveryd.service.config.ListenAddress;
import dev.discoveryd.service.config.OpsConfig;
import dev.discoveryd.service.config.ServerConfig;
import dev.discoveryd.service.grpc.Admission;
import dev.discoveryd.service.grpc.ApiObserver;
import dev.discoveryd.service.grpc.ClientIp;
import dev.discoveryd.service.grpc.WatchBudget;
import dev.discoveryd.service.logging.LogSetup;
import dev.discoveryd.service.metrics.GrpcMetrics;
import dev.discoveryd.service.metrics.HealthMetrics;
import dev.discoveryd.service.metrics.ServiceMetrics;
import dev.discoveryd.service.metrics.StateMetrics;
import dev.discoveryd.service.metrics.StorageMetrics;
import dev.discoveryd.service.ratelimit.RateLimitAdmission;
import dev.discoveryd.service.ratelimit.WatchGate;
import dev.discoveryd.service.state.ClusterRegistry;
import dev.discoveryd.service.state.StateListener;
import dev.discoveryd.service.tls.CertificatePair;
import dev.discoveryd.service.tls.CertificateReloader;
import dev.discoveryd.service.web.Readiness;
import dev.discoveryd.service.web.WebListener;
import dev.discoveryd.service.web.WebRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Everything that makes the service operable, in one place for the composition root: metrics, health, the web pages
 * and their ports, rate limits, TLS with reload, logging flags. Call in this order: {@link #openSidePorts} (health
 * answers from then on), {@link #stateLoaded}, build the gRPC listeners with {@link #admission}, {@link #observer},
 * {@link #watchGate}, {@link #webHandler} and {@link #secure}, then {@link #grpcListening}.
 */
public final class OpsSurface implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsSurface.class);

    private final ServerConfig config;
    private final OpsConfig ops;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final StateMetrics state = new StateMetrics(metrics.registry());
    private final StorageMetrics storage;
    private final GrpcMetrics grpc = new GrpcMetrics(metrics.registry());
    private final Readiness readiness = new Readiness();
    private final WatchGate watchGate;
    private final WatchBudget watchBudget;
    private final ClientIp clientIp;
    private Handler<HttpServerRequest> pages;
    private RateLimitAdmission rateLimit;
    private CertificateReloader reloader;
    private final List<HttpServer> tlsServers = new CopyOnWriteArrayList<>();
    private volatile int landingPort = -1;
    private volatile int metricsPort = -1;

    public OpsSurface(ServerConfig config, OpsConfig ops) {
        this.config = config;
        this.ops = ops;
        var persistence = config.persistence();
        this.storage = new StorageMetrics(metrics.registry(), !persistence.inMemory() && persistence.snapshotsEnabled());
        HealthMetrics.readiness(metrics.registry(), readiness);
        if (!persistence.inMemory()) {
            HealthMetrics.disk(metrics.registry(), persistence.dataDir(), persistence.logMinFree());
        }
        this.clientIp = new ClientIp(config.trustXRealIp(), config.trustFirstXForwardedFor());
        this.watchGate = new WatchGate(ops.ipWatchLimit(), metrics.registry());
        this.watchBudget = new WatchBudget(ops.watchBuffer(), ops.ipWatchBuffer(), ops.watchBufferTotal(), metrics.registry());
        LogSetup.apply(ops.logFormat(), config.debug());
    }

    public StateListener stateListener() {
        return state;
    }

    /** For the garbage collector's onRun hook. */
    public void gcRan() {
        state.gcRan();
    }

    /** Opens the landing and metrics ports (each when configured); blocks until they listen. */
    public void openSidePorts(Vertx vertx, ClusterRegistry registry) throws Exception {
        if (ops.rateLimited()) {
            rateLimit = new RateLimitAdmission(vertx, ops.ipRateLimit(), ops.ipRateBurst(), metrics.registry());
        }
        pages = WebRoutes.pages(vertx, registry, state, readiness, ops.statsCache(), admission(), clientIp);
        if (config.landing() != null) {
            landingPort = await(WebListener.listen(vertx, config.landing(), pages)).actualPort();
            LOG.info("pages on {}", config.landing().withPort(landingPort));
        }
        ListenAddress m = config.metrics();
        if (m != null) {
            metricsPort = await(WebListener.listen(vertx, m, WebRoutes.metrics(vertx, metrics, readiness))).actualPort();
            LOG.info("metrics on {}/metrics", m.withPort(metricsPort));
        }
    }

    /** The state is in memory (a rebuilt view, possibly empty); counts it into the gauges. */
    public void stateLoaded(View view) {
        state.loaded(view);
        readiness.stateLoaded(true);
    }

    /** The per-address rate limit (one set of buckets for RPCs and pages); available once the side ports are open. */
    public Admission admission() {
        return rateLimit == null ? Admission.ALWAYS : rateLimit;
    }

    public ApiObserver observer() {
        return grpc;
    }

    /** One gate for all gRPC listeners: the limit is per address, whichever event loop its streams land on. */
    public WatchGate watchGate() {
        return watchGate;
    }

    /** One budget of unsent Watch bytes for all gRPC listeners (per watcher, per address, process). */
    public WatchBudget watchBudget() {
        return watchBudget;
    }

    /** The pages, for non-gRPC requests on the main port. */
    public Handler<HttpServerRequest> webHandler() {
        return pages;
    }

    public int maxMessageBytes() {
        return ops.maxMessageBytes();
    }

    /** Adds TLS to the main listener's options when a certificate is configured; throws when it is unusable. */
    public HttpServerOptions secure(Vertx vertx, HttpServerOptions options) {
        if (!config.tls()) {
            return options;
        }
        reloader = new CertificateReloader(vertx, config.certificatePath(), config.keyPath(), tlsServers, metrics.registry());
        CertificatePair pair = reloader.load();
        return options.setSsl(true).setUseAlpn(true).setKeyCertOptions(pair.sslOptions().getKeyCertOptions())
                .setEnabledSecureTransportProtocols(pair.sslOptions().getEnabledSecureTransportProtocols());
    }

    /** The gRPC listeners are up: start following certificate changes, and report ready. */
    public void grpcListening(List<HttpServer> servers) {
        if (reloader != null) {
            tlsServers.addAll(servers);
            reloader.start(ops.tlsReloadInterval());
        }
        readiness.listening(true);
    }

    public Readiness readiness() {
        return readiness;
    }

    /** Where to register more meters (event log, snapshots). */
    public MeterRegistry meters() {
        return metrics.registry();
    }

    /** The reference's discovery_storage_* meters: give it to the state store as its storage observer. */
    public StorageMetrics storage() {
        return storage;
    }

    public int landingPort() {
        return landingPort;
    }

    public int metricsPort() {
        return metricsPort;
    }

    /** Reports not ready and stops the background jobs; the listeners close with Vert.x. */
    @Override
    public void close() {
        readiness.listening(false);
        if (reloader != null) {
            reloader.close();
        }
        if (rateLimit != null) {
            rateLimit.close();
        }
        metrics.close();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
