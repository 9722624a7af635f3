package dev.discoveryd.service.grpc;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateDeleteResponse;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.AffiliateUpdateResponse;
import dev.discoveryd.api.server.ClusterGrpcService;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.api.server.RedirectMessage;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.Validation;
import dev.discoveryd.service.state.Caller;
import dev.discoveryd.service.state.ClusterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** The sidero.discovery.server.Cluster service: decodes requests, calls the registry, maps outcomes to statuses. */
public final class ClusterApi {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterApi.class);

    private final ClusterRegistry registry;
    private final ClientIp clientIp;
    private final Admission admission;
    private final ApiObserver observer;
    private final String redirectEndpoint;
    private final int watchQueue;
    private final boolean debug;

    public ClusterApi(ClusterRegistry registry, ClientIp clientIp, Admission admission, ApiObserver observer,
                      String redirectEndpoint, int watchQueue, boolean debug) {
        this.registry = registry;
        this.clientIp = clientIp;
        this.admission = admission;
        this.observer = observer;
        this.redirectEndpoint = redirectEndpoint;
        this.watchQueue = watchQueue;
        this.debug = debug;
    }

    public void bind(GrpcServer server) {
        unary(server, ClusterGrpcService.Hello, this::hello);
        unary(server, ClusterGrpcService.AffiliateUpdate, this::update);
        unary(server, ClusterGrpcService.AffiliateDelete, this::delete);
        unary(server, ClusterGrpcService.List, this::list);
        server.callHandler(ClusterGrpcService.Watch, this::watch);
    }

    /** A unary call in context: the request plus what the handler needs to know about the caller. */
    record Call<Req>(Req message, byte[] clientIp, Caller caller) {
    }

    private <Req, Resp> void unary(GrpcServer server, ServiceMethod<Req, Resp> method,
                                   Function<Call<Req>, CompletableFuture<Resp>> handler) {
        String name = method.methodName();
        server.callHandler(method, request -> {
            long started = System.nanoTime();
            observer.started(name, false);
            Context context = Vertx.currentContext();
            LoopMailbox mailbox = LoopMailbox.of(context);
            byte[] ip = clientIp.resolve(request.headers(), request.connection().remoteAddress());
            Caller caller = caller(request, mailbox);
            request.handler(message -> {
                observer.received(name);
                CompletableFuture<Resp> result;
                try {
                    Call<Req> call = new Call<>(message, ip, caller);
                    result = admission.admit(ip, request.timeout()).thenCompose(v -> handler.apply(call));
                } catch (RuntimeException e) {
                    result = CompletableFuture.failedFuture(e);
                }
                if (result.isDone()) {
                    respond(request.response(), name, started, ip, result);
                } else {
                    CompletableFuture<Resp> pending = result;
                    pending.whenComplete((r, e) -> {
                        // Usually completed by the cluster's continuation, already on this loop: answer at once.
                        if (Vertx.currentContext() == context) {
                            respond(request.response(), name, started, ip, pending);
                        } else {
                            mailbox.post(() -> respond(request.response(), name, started, ip, pending));
                        }
                    });
                }
            });
        });
    }

    /** Until when the caller waits: its grpc-timeout, by the registry's clock, and whether it reset the stream. */
    private Caller caller(GrpcServerRequest<?, ?> request, LoopMailbox mailbox) {
        long timeout = request.timeout();
        Instant deadline = timeout > 0 ? registry.clock().instant().plusMillis(timeout) : null;
        AtomicBoolean cancelled = new AtomicBoolean();
        request.errorHandler(error -> cancelled.set(true));
        return new Caller(mailbox::post, deadline, cancelled::get);
    }

    private <Req, Resp> void respond(GrpcServerResponse<Req, Resp> response, String method, long started, byte[] ip,
                                     CompletableFuture<Resp> result) {
        GrpcStatus status;
        try {
            Resp reply = result.join();
            status = GrpcStatus.OK;
            observer.sent(method);
            response.end(reply);
        } catch (RuntimeException e) {
            Statuses.Outcome outcome = Statuses.of(e);
            status = outcome.status();
            if (status == GrpcStatus.INTERNAL) {
                LOG.error("{} failed", method, e.getCause() != null ? e.getCause() : e);
            }
            response.status(status).statusMessage(outcome.message()).end();
        }
        long nanos = System.nanoTime() - started;
        observer.handled(method, false, status, nanos);
        if (debug) {
            LOG.info("{} from {} -> {} in {} µs", method, ClientIp.text(ip), status, nanos / 1000);
        }
    }

    private CompletableFuture<HelloResponse> hello(Call<HelloRequest> call) {
        HelloRequest req = call.message();
        Validation.clusterId(req.getClusterId());
        observer.hello(req.getClientVersion());
        HelloResponse.Builder reply = HelloResponse.newBuilder().setClientIp(ByteString.copyFrom(call.clientIp()));
        if (redirectEndpoint != null) {
            reply.setRedirect(RedirectMessage.newBuilder().setEndpoint(redirectEndpoint));
        }
        return CompletableFuture.completedFuture(reply.build());
    }

    private CompletableFuture<AffiliateUpdateResponse> update(Call<AffiliateUpdateRequest> call) {
        AffiliateUpdateRequest req = call.message();
        byte[] data = req.hasAffiliateData() ? req.getAffiliateData().toByteArray() : null;
        List<byte[]> endpoints = new ArrayList<>(req.getAffiliateEndpointsCount());
        for (ByteString e : req.getAffiliateEndpointsList()) {
            endpoints.add(e.toByteArray());
        }
        Duration ttl = Duration.ofSeconds(req.getTtl().getSeconds(), req.getTtl().getNanos());
        return registry.update(req.getClusterId(), req.getAffiliateId(), data, endpoints, ttl, call.caller())
                .thenApply(v -> AffiliateUpdateResponse.getDefaultInstance());
    }

    private CompletableFuture<AffiliateDeleteResponse> delete(Call<AffiliateDeleteRequest> call) {
        AffiliateDeleteRequest req = call.message();
        return registry.delete(req.getClusterId(), req.getAffiliateId(), call.caller())
                .thenApply(v -> AffiliateDeleteResponse.getDefaultInstance());
    }

    private CompletableFuture<ListResponse> list(Call<ListRequest> call) {
        ListResponse.Builder reply = ListResponse.newBuilder();
        for (Affiliate a : registry.list(call.message().getClusterId())) {
            reply.addAffiliates(WireEncoder.toWire(a));
        }
        return CompletableFuture.completedFuture(reply.build());
    }

    private void watch(GrpcServerRequest<WatchRequest, WatchResponse> request) {
        long started = System.nanoTime();
        observer.started("Watch", true);
        Context context = Vertx.currentContext();
        byte[] ip = clientIp.resolve(request.headers(), request.connection().remoteAddress());
        request.handler(message -> {
            observer.received("Watch");
            admission.admit(ip, request.timeout()).whenComplete((v, denied) -> context.runOnContext(x -> {
                if (denied != null) {
                    Statuses.Outcome outcome = Statuses.of(denied);
                    request.response().status(outcome.status()).statusMessage(outcome.message()).end();
                    observer.handled("Watch", true, outcome.status(), System.nanoTime() - started);
                    return;
                }
                subscribe(request, message, context, ip, started);
            }));
        });
    }

    private void subscribe(GrpcServerRequest<WatchRequest, WatchResponse> request, WatchRequest message, Context context,
                           byte[] ip, long started) {
        Runnable[] unsubscribe = new Runnable[1];
        GrpcWatcher watcher = new GrpcWatcher(context, request.response(), watchQueue, status -> {
            if (unsubscribe[0] != null) {
                unsubscribe[0].run();
            }
            observer.handled("Watch", true, status, System.nanoTime() - started);
        }, () -> observer.sent("Watch"), dev.discoveryd.service.FlushBatching.flusher(request.connection()));
        try {
            unsubscribe[0] = registry.watch(message.getClusterId(), watcher);
        } catch (RuntimeException e) {
            Statuses.Outcome outcome = Statuses.of(e);
            request.response().status(outcome.status()).statusMessage(outcome.message()).end();
            observer.handled("Watch", true, outcome.status(), System.nanoTime() - started);
            return;
        }
        request.errorHandler(e -> watcher.cancelled());
        request.exceptionHandler(e -> watcher.cancelled());
        request.response().exceptionHandler(e -> watcher.cancelled());
        if (debug) {
            LOG.info("Watch from {} opened", ClientIp.text(ip));
        }
    }
}
