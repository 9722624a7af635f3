package dev.discoveryd.service.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateDeleteResponse;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.AffiliateUpdateResponse;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.api.server.RedirectMessage;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.Validation;
import dev.discoveryd.service.state.Caller;
import dev.discoveryd.service.ratelimit.WatchGate;
import dev.discoveryd.service.state.ClusterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The sidero.discovery.server.Cluster service: decodes requests, calls the registry, maps outcomes to statuses. */
public final class ClusterApi {
    public static final String SERVICE = "sidero.discovery.server.Cluster";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterApi.class);
    /** The largest |seconds| of a valid protobuf Duration (10,000 years). */
    private static final long MAX_DURATION_SECONDS = 315_576_000_000L;
    private static final int LARGE_SNAPSHOT = 256 * 1024;

    private final ClusterRegistry registry;
    private final ClientIp clientIp;
    private final Admission admission;
    private final ApiObserver observer;
    private final String redirectEndpoint;
    private final int watchQueue;
    private final WatchGate watchGate;
    private final WatchBudget watchBudget;
    private final Map<String, Integer> snapshotSizes = new ConcurrentHashMap<>();
    private final boolean debug;
    private final Routing routing;

    public ClusterApi(ClusterRegistry registry, ClientIp clientIp, Admission admission, ApiObserver observer,
                      String redirectEndpoint, int watchQueue, WatchGate watchGate, WatchBudget watchBudget, boolean debug) {
        this(registry, clientIp, admission, observer, redirectEndpoint, watchQueue, watchGate, watchBudget, debug,
                Routing.LOCAL);
    }

    /** As above, with clusters shared among instances by {@code routing} (Hello redirects, UNAVAILABLE elsewhere). */
    public ClusterApi(ClusterRegistry registry, ClientIp clientIp, Admission admission, ApiObserver observer,
                      String redirectEndpoint, int watchQueue, WatchGate watchGate, WatchBudget watchBudget, boolean debug,
                      Routing routing) {
        this.routing = routing;
        this.registry = registry;
        this.clientIp = clientIp;
        this.admission = admission;
        this.observer = observer;
        this.redirectEndpoint = redirectEndpoint;
        this.watchQueue = watchQueue;
        this.watchGate = watchGate;
        this.watchBudget = watchBudget;
        this.debug = debug;
    }

    public void bind(GrpcRouter router) {
        unary(router, "Hello", HelloRequest.parser(), this::hello);
        unary(router, "AffiliateUpdate", AffiliateUpdateRequest.parser(), this::update);
        unary(router, "AffiliateDelete", AffiliateDeleteRequest.parser(), this::delete);
        unary(router, "List", ListRequest.parser(), this::list);
        router.method("Watch", this::watch);
    }

    /** A unary call in context: the request plus what the handler needs to know about the caller. */
    record Call<Req>(Req message, byte[] clientIp, Caller caller) {
    }

    private <Req, Resp extends MessageLite> void unary(GrpcRouter router, String name, Parser<Req> parser,
                                                       Function<Call<Req>, CompletableFuture<Resp>> handler) {
        router.method(name, call -> {
            long started = System.nanoTime();
            observer.started(name, false);
            Context context = Vertx.currentContext();
            LoopMailbox mailbox = LoopMailbox.of(context);
            byte[] ip = clientIp.resolve(call.headers(), call.connection().remoteAddress());
            call.onEnd(status -> ended(name, false, status, started, ip));
            Caller caller = caller(call, mailbox);
            admitted(call, ip, context, () -> call.readOne(bytes -> {
                observer.received(name);
                CompletableFuture<Resp> result;
                try {
                    result = handler.apply(new Call<>(decode(parser, bytes), ip, caller));
                } catch (RuntimeException e) {
                    result = CompletableFuture.failedFuture(e);
                }
                if (result.isDone()) {
                    respond(call, result);
                } else {
                    CompletableFuture<Resp> pending = result;
                    pending.whenComplete((r, e) -> {
                        // Usually completed by the cluster's continuation, already on this loop: answer at once.
                        if (Vertx.currentContext() == context) {
                            respond(call, pending);
                        } else {
                            mailbox.post(() -> respond(call, pending));
                        }
                    });
                }
            }));
        });
    }

    /**
     * Runs {@code read} on the call's loop once the rate limit admits its caller, before its request is read: every
     * call pays its token, a malformed or undecodable one as much as a good one (else a flood of bad requests would
     * be answered as fast as it comes, limit or not). A caller refused, or gone while it waited, is answered (or
     * dropped) without its body being looked at.
     */
    private void admitted(GrpcCall call, byte[] ip, Context context, Runnable read) {
        CompletableFuture<Void> admitted = admission.admit(ip, call.timeoutMillis());
        if (admitted.isDone() && !admitted.isCompletedExceptionally()) {
            read.run(); // a token at once (the usual case): read straight on, nothing held back
            return;
        }
        call.holdBody();
        admitted.whenComplete((v, denied) -> {
            Runnable next = () -> {
                if (call.isOver()) {
                    return;
                }
                if (denied != null) {
                    Statuses.Outcome outcome = Statuses.of(denied);
                    call.finish(outcome.status(), outcome.message());
                    return;
                }
                read.run();
            };
            if (Vertx.currentContext() == context) {
                next.run();
            } else {
                context.runOnContext(x -> next.run());
            }
        });
    }

    /**
     * Until when the caller waits (its grpc-timeout, on the registry's clock) and whether it has gone: a change
     * still queued for its cluster then never reaches the log.
     */
    private Caller caller(GrpcCall call, LoopMailbox mailbox) {
        long timeout = call.timeoutMillis();
        Instant deadline = timeout > 0 ? registry.clock().instant().plusMillis(timeout) : null;
        return new Caller(mailbox.executor(), deadline, call::isOver);
    }

    /** Answers a unary call; one the client gave up on meanwhile (already counted as CANCELLED) gets nothing. */
    private <Resp extends MessageLite> void respond(GrpcCall call, CompletableFuture<Resp> result) {
        if (call.isOver()) {
            return;
        }
        try {
            Resp reply = result.join();
            observer.sent(call.method());
            call.reply(Buffer.buffer(WireEncoder.frame(reply)));
        } catch (RuntimeException e) {
            Statuses.Outcome outcome = Statuses.of(e);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (outcome.status() == GrpcStatus.INTERNAL && !(cause instanceof StatusException)) {
                LOG.error("{} failed", call.method(), cause); // a bug, not a bad request
            }
            call.finish(outcome.status(), outcome.message());
        }
    }

    private void ended(String method, boolean streaming, GrpcStatus status, long started, byte[] ip) {
        long nanos = System.nanoTime() - started;
        observer.handled(method, streaming, status, nanos);
        if (debug) {
            LOG.info("{} from {} -> {} in {} µs", method, ClientIp.text(ip), status, nanos / 1000);
        }
    }

    /** Remembers the snapshot sizes of large clusters only, which bounds the map by what the heap can hold anyway. */
    private void rememberSnapshot(String clusterId, int size) {
        if (size >= LARGE_SNAPSHOT) {
            snapshotSizes.put(clusterId, size);
        } else {
            snapshotSizes.remove(clusterId);
        }
    }

    /** Protobuf bytes to a request, as grpc-go reports a request it cannot decode (invalid UTF-8 included). */
    static <Req> Req decode(Parser<Req> parser, byte[] bytes) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new StatusException(GrpcStatus.INTERNAL, "grpc: error unmarshalling request: " + e.getMessage());
        }
    }

    /** A protobuf Duration as a Java one; values outside the Duration range protobuf defines are invalid arguments. */
    static Duration ttl(com.google.protobuf.Duration ttl) {
        long seconds = ttl.getSeconds();
        int nanos = ttl.getNanos();
        if (seconds < -MAX_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS || nanos <= -1_000_000_000
                || nanos >= 1_000_000_000 || (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0)) {
            throw new StatusException(GrpcStatus.INVALID_ARGUMENT, "ttl is not a valid duration");
        }
        return Duration.ofSeconds(seconds, nanos);
    }

    private CompletableFuture<HelloResponse> hello(Call<HelloRequest> call) {
        HelloRequest req = call.message();
        Validation.clusterId(req.getClusterId());
        observer.hello(req.getClientVersion());
        HelloResponse.Builder reply = HelloResponse.newBuilder().setClientIp(ByteString.copyFrom(call.clientIp()));
        Routing.Route route = routing.route(req.getClusterId());
        if (route instanceof Routing.Route.Elsewhere elsewhere) {
            reply.setRedirect(RedirectMessage.newBuilder().setEndpoint(elsewhere.endpoint()));
        } else if (route instanceof Routing.Route.HandOver handOver) {
            throw new StatusException(GrpcStatus.UNAVAILABLE, handOver.reason());
        } else if (redirectEndpoint != null) {
            reply.setRedirect(RedirectMessage.newBuilder().setEndpoint(redirectEndpoint));
        }
        return CompletableFuture.completedFuture(reply.build());
    }

    /** Refuses a request for a cluster another instance serves, before it touches any state. */
    private void requireLocal(String clusterId) {
        if (routing == Routing.LOCAL) {
            return;
        }
        Validation.clusterId(clusterId);
        Routing.Route route = routing.route(clusterId);
        if (route instanceof Routing.Route.Elsewhere elsewhere) {
            throw new StatusException(GrpcStatus.UNAVAILABLE, "cluster is served by " + elsewhere.endpoint()
                    + "; Hello there first");
        }
        if (route instanceof Routing.Route.HandOver handOver) {
            throw new StatusException(GrpcStatus.UNAVAILABLE, handOver.reason());
        }
    }

    private CompletableFuture<AffiliateUpdateResponse> update(Call<AffiliateUpdateRequest> call) {
        AffiliateUpdateRequest req = call.message();
        requireLocal(req.getClusterId());
        byte[] data = req.hasAffiliateData() ? req.getAffiliateData().toByteArray() : null;
        List<byte[]> endpoints = new ArrayList<>(req.getAffiliateEndpointsCount());
        for (ByteString e : req.getAffiliateEndpointsList()) {
            endpoints.add(e.toByteArray());
        }
        Duration ttl = ttl(req.getTtl());
        return registry.update(req.getClusterId(), req.getAffiliateId(), data, endpoints, ttl, call.caller())
                .thenApply(v -> AffiliateUpdateResponse.getDefaultInstance());
    }

    private CompletableFuture<AffiliateDeleteResponse> delete(Call<AffiliateDeleteRequest> call) {
        AffiliateDeleteRequest req = call.message();
        requireLocal(req.getClusterId());
        return registry.delete(req.getClusterId(), req.getAffiliateId(), call.caller())
                .thenApply(v -> AffiliateDeleteResponse.getDefaultInstance());
    }

    private CompletableFuture<ListResponse> list(Call<ListRequest> call) {
        requireLocal(call.message().getClusterId());
        ListResponse.Builder reply = ListResponse.newBuilder();
        for (Affiliate a : registry.list(call.message().getClusterId())) {
            reply.addAffiliates(WireEncoder.toWire(a));
        }
        return CompletableFuture.completedFuture(reply.build());
    }

    private void watch(GrpcCall call) {
        long started = System.nanoTime();
        observer.started("Watch", true);
        Context context = Vertx.currentContext();
        byte[] ip = clientIp.resolve(call.headers(), call.connection().remoteAddress());
        Runnable[] unsubscribe = new Runnable[1];
        call.onEnd(status -> {
            if (unsubscribe[0] != null) {
                unsubscribe[0].run();
            }
            ended("Watch", true, status, started, ip);
        });
        Runnable slot = watchGate.acquire(ip);
        if (slot == null) {
            call.finish(GrpcStatus.RESOURCE_EXHAUSTED, "too many open Watch streams from this address");
            return;
        }
        call.whenClosed(slot);
        admitted(call, ip, context, () -> call.readOne(bytes -> {
            observer.received("Watch");
            WatchRequest message;
            try {
                message = decode(WatchRequest.parser(), bytes);
            } catch (StatusException e) {
                call.finish(e.status(), e.getMessage());
                return;
            }
            // The size of this cluster's last snapshot: an address that already holds its share is refused
            // before another snapshot is encoded for it (4.3 MB for a full cluster).
            String clusterId = message.getClusterId();
            if (!watchBudget.fits(ip, snapshotSizes.getOrDefault(clusterId, 0))) {
                call.finish(GrpcStatus.RESOURCE_EXHAUSTED, "watch buffer full: Watch streams from this address hold too"
                        + " much unsent data");
                return;
            }
            try {
                requireLocal(clusterId);
            } catch (StatusException e) {
                call.finish(e.status(), e.getMessage());
                return;
            }
            GrpcWatcher watcher = new GrpcWatcher(context, call, watchQueue, watchBudget, ip, () -> observer.sent("Watch"),
                    FlushBatching.flusher(call.connection()), size -> rememberSnapshot(clusterId, size));
            try {
                unsubscribe[0] = registry.watch(message.getClusterId(), watcher);
            } catch (RuntimeException e) {
                Statuses.Outcome outcome = Statuses.of(e);
                call.finish(outcome.status(), outcome.message());
                return;
            }
            if (debug) {
                LOG.info("Watch from {} opened", ClientIp.text(ip));
            }
        }));
    }
}
