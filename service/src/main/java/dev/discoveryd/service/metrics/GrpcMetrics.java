package dev.discoveryd.service.metrics;

import dev.discoveryd.service.grpc.ApiObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.grpc.common.GrpcStatus;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The grpc_server_* family (as go-grpc-prometheus names it, so reference dashboards work) and
 * discovery_server_hello_requests_total. Meters are looked up once per label set and cached: this runs on event loops.
 */
public final class GrpcMetrics implements ApiObserver {
    static final String SERVICE = "sidero.discovery.server.Cluster";
    /** Distinct client_version labels kept; any further version is counted as "other" so an attacker cannot grow them. */
    static final int MAX_CLIENT_VERSIONS = 64;
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500)};

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> hellos = new ConcurrentHashMap<>();

    public GrpcMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void started(String method, boolean streaming) {
        counter("grpc.server.started", "RPCs started", method, streaming, null).increment();
    }

    @Override
    public void received(String method) {
        counter("grpc.server.msg.received", "request messages received", method, "Watch".equals(method), null).increment();
    }

    @Override
    public void sent(String method) {
        counter("grpc.server.msg.sent", "response messages sent", method, "Watch".equals(method), null).increment();
    }

    @Override
    public void handled(String method, boolean streaming, GrpcStatus status, long nanos) {
        counter("grpc.server.handled", "RPCs completed, by status", method, streaming, GrpcCodes.name(status)).increment();
        timer(method, streaming).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void hello(String clientVersion) {
        String version = clientVersion == null || clientVersion.isEmpty() ? "" : clientVersion;
        if (version.length() > 64) {
            version = "other";
        }
        Counter counter = hellos.get(version);
        if (counter == null) {
            String label = hellos.size() >= MAX_CLIENT_VERSIONS ? "other" : version;
            counter = hellos.computeIfAbsent(label, v -> Counter.builder("discovery.server.hello.requests")
                    .description("Hello requests by client version").tag("client_version", v).register(meters));
        }
        counter.increment();
    }

    private Counter counter(String name, String description, String method, boolean streaming, String code) {
        String key = name + '|' + method + '|' + streaming + '|' + code;
        Counter c = counters.get(key);
        if (c != null) {
            return c;
        }
        return counters.computeIfAbsent(key, k -> {
            Counter.Builder b = Counter.builder(name).description(description)
                    .tag("grpc_type", type(streaming)).tag("grpc_service", SERVICE).tag("grpc_method", method);
            return (code == null ? b : b.tag("grpc_code", code)).register(meters);
        });
    }

    private Timer timer(String method, boolean streaming) {
        String key = method + '|' + streaming;
        Timer t = timers.get(key);
        if (t != null) {
            return t;
        }
        return timers.computeIfAbsent(key, k -> Timer.builder("grpc.server.handling")
                .description("time from the start of an RPC to its status")
                .tag("grpc_type", type(streaming)).tag("grpc_service", SERVICE).tag("grpc_method", method)
                .serviceLevelObjectives(BUCKETS)
                .register(meters));
    }

    private static String type(boolean streaming) {
        return streaming ? "server_stream" : "unary";
    }
}
