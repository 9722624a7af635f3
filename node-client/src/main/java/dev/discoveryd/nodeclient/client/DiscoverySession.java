package dev.discoveryd.nodeclient.client;

import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.state.AffiliateDecoder;
import dev.discoveryd.nodeclient.state.LocalState;
import dev.discoveryd.nodeclient.state.Requests;
import dev.discoveryd.nodeclient.state.ServerAddress;
import dev.discoveryd.nodeclient.state.SessionView;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's life with one discovery server: Hello (following redirects), Watch, publish,
 * refresh, keepalive; on any failure it tears down and reconnects with backoff, forever.
 * Every method runs on the owning client's context; {@code generation} discards stale callbacks.
 */
final class DiscoverySession {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoverySession.class);

    private final Vertx vertx;
    private final ServerAddress configured;
    private final DiscoveryClientOptions options;
    private final ClusterSealer codec;
    private final SessionView view;
    private final Supplier<LocalState> local;
    private final Runnable onChange;
    private final ConnectionListener connection;
    private final Promise<Void> firstSync = Promise.promise();
    private final Keepalive keepalive;

    private ClusterRpc rpc;
    private ServerAddress current;
    private int generation;
    private int failures;
    private boolean closed;
    private boolean watchSynced;
    private boolean published;
    private int publishingGeneration = -1;
    private boolean publishAgain;
    private long refreshTimer = -1;
    private long retryTimer = -1;
    private volatile InetAddress publicIp;

    DiscoverySession(Vertx vertx, ServerAddress server, DiscoveryClientOptions options, ClusterSealer codec,
                     AffiliateDecoder decoder, Supplier<LocalState> local, Runnable onChange,
                     ConnectionListener connection) {
        this.vertx = vertx;
        this.configured = server;
        this.current = server;
        this.options = options;
        this.codec = codec;
        this.view = new SessionView(options.affiliateId(), decoder);
        this.local = local;
        this.onChange = onChange;
        this.connection = connection;
        this.keepalive = new Keepalive(vertx);
    }

    SessionView view() {
        return view;
    }

    InetAddress publicIp() {
        return publicIp;
    }

    Future<Void> firstSync() {
        return firstSync.future();
    }

    void start() {
        connect();
    }

    private void connect() {
        retryTimer = -1;
        int gen = ++generation;
        watchSynced = false;
        published = false;
        current = configured;
        hello(gen);
    }

    private void hello(int gen) {
        Handshake.connect(vertx, configured, options).onComplete(ar -> {
            if (gen != generation) {
                if (ar.succeeded()) {
                    ar.result().rpc().close();
                }
                return;
            }
            if (ar.failed()) {
                fail(gen, "hello", ar.cause());
                return;
            }
            rpc = ar.result().rpc();
            current = rpc.server();
            publicIp = ar.result().publicIp();
            LOG.info("connected to {} (public IP {})", current, publicIp == null ? "unknown" : IpText.format(publicIp));
            connection.connected(configured, publicIp);
            openWatch(gen);
            publish(gen);
            refreshTimer = vertx.setPeriodic(options.refreshInterval().toMillis(), id -> publish(gen));
        });
    }

    private void openWatch(int gen) {
        boolean[] first = {true};
        rpc.watch(WatchRequest.newBuilder().setClusterId(options.clusterId()).build()).onComplete(ar -> {
            if (gen != generation) {
                return;
            }
            if (ar.failed()) {
                fail(gen, "watch", ar.cause());
                return;
            }
            var response = ar.result().response();
            if (response.status() != null && response.status() != GrpcStatus.OK) {
                watchEnded(gen, response.status(), false);
                return;
            }
            response.handler(message -> onWatchMessage(gen, message, first));
            response.exceptionHandler(err -> fail(gen, "watch", err));
            response.endHandler(v -> watchEnded(gen, response.status(), !first[0]));
            keepalive.start(ar.result().connection(), options.keepaliveInterval(),
                    () -> fail(gen, "keepalive", new IllegalStateException("no ping acknowledgement")));
        });
    }

    private void onWatchMessage(int gen, WatchResponse message, boolean[] first) {
        if (gen != generation) {
            return;
        }
        boolean changed;
        try {
            changed = view.apply(message, first[0]);
        } catch (RuntimeException e) {
            LOG.warn("{}: ignoring a watch message that could not be applied: {}", current, e.toString());
            return;
        }
        if (first[0]) {
            first[0] = false;
            watchSynced = true;
            markHealthyIfSettled();
            firstSync.tryComplete();
        }
        if (changed) {
            onChange.run();
        }
    }

    private void watchEnded(int gen, GrpcStatus status, boolean hadMessages) {
        if (gen != generation) {
            return;
        }
        if (status == GrpcStatus.ABORTED && hadMessages) {
            LOG.info("{}: watch aborted by the server (lost update); watching again", current);
            keepalive.cancel();
            openWatch(gen);
            return;
        }
        fail(gen, "watch", new IllegalStateException("stream ended with status " + (status == null ? "none" : status.name())));
    }

    /** Publishes the local state now (on every local change and at TTL/2). */
    void publishNow() {
        if (rpc != null && retryTimer == -1 && !closed) {
            publish(generation);
        }
    }

    private void publish(int gen) {
        if (gen != generation) {
            return;
        }
        if (publishingGeneration == gen) {
            publishAgain = true;
            return;
        }
        List<AffiliateUpdateRequest> requests = Requests.publish(options.clusterId(), options.affiliateId(),
                local.get(), codec, options.ttl());
        publishingGeneration = gen;
        Future.all(requests.stream().map(r -> rpc.update(r, options.updateTimeout())).toList()).onComplete(ar -> {
            if (publishingGeneration == gen) {
                publishingGeneration = -1;
            }
            if (gen != generation) {
                return;
            }
            if (ar.failed()) {
                fail(gen, "publish", ar.cause());
                return;
            }
            LOG.debug("{}: published {} update(s)", current, requests.size());
            published = true;
            markHealthyIfSettled();
            if (publishAgain) {
                publishAgain = false;
                publish(gen);
            }
        });
    }

    Future<Void> deleteLocal() {
        if (rpc == null || options.affiliateId() == null) {
            return Future.failedFuture(new IllegalStateException("not connected to " + configured));
        }
        return rpc.delete(Requests.delete(options.clusterId(), options.affiliateId()), options.updateTimeout()).mapEmpty();
    }

    private void markHealthyIfSettled() {
        if (watchSynced && published) {
            failures = 0;
        }
    }

    private void fail(int gen, String what, Throwable cause) {
        if (gen != generation || closed) {
            return;
        }
        generation++;
        teardown();
        Duration delay = options.backoff().delay(failures++, ThreadLocalRandom.current().nextDouble());
        // Only the first failure of an outage is a warning; the retries are routine.
        if (failures == 1) {
            LOG.warn("{}: {} failed ({}); reconnecting in {} ms", current, what, describe(cause), delay.toMillis());
            connection.failed(configured, what + " failed: " + describe(cause));
        } else {
            LOG.debug("{}: {} failed again ({}); retry {} in {} ms", current, what, describe(cause), failures, delay.toMillis());
        }
        retryTimer = vertx.setTimer(delay.toMillis(), id -> connect());
    }

    void close() {
        closed = true;
        generation++;
        teardown();
        if (retryTimer != -1) {
            vertx.cancelTimer(retryTimer);
            retryTimer = -1;
        }
    }

    private void teardown() {
        if (refreshTimer != -1) {
            vertx.cancelTimer(refreshTimer);
            refreshTimer = -1;
        }
        keepalive.cancel();
        closeRpc();
    }

    private void closeRpc() {
        if (rpc != null) {
            rpc.close();
            rpc = null;
        }
    }

    private static String describe(Throwable cause) {
        if (cause instanceof InvalidStatusException status) {
            return "status " + status.actualStatus().name();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
