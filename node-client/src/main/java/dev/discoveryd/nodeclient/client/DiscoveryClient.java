package dev.discoveryd.nodeclient.client;

import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.state.AffiliateDecoder;
import dev.discoveryd.nodeclient.state.AffiliateMerge;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import dev.discoveryd.nodeclient.state.LocalState;
import dev.discoveryd.nodeclient.state.ServerAddress;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the Talos discovery protocol. One session per configured server; what they
 * report is merged by node ID. Thread-safe: every call hops onto the client's own event-loop context.
 */
public final class DiscoveryClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryClient.class);

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Context context;
    private final AffiliateDecoder decoder;
    private final List<DiscoverySession> sessions;
    private final List<AffiliateListener> listeners = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Promise<Void>> closing = new AtomicReference<>();
    private volatile LocalState local = LocalState.NOTHING;
    private volatile List<DiscoveredAffiliate> affiliates = List.of();

    private DiscoveryClient(Vertx vertx, boolean ownsVertx, DiscoveryClientOptions options) {
        options.validate();
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.context = vertx.getOrCreateContext();
        ClusterSealer codec = new ClusterSealer(options.clusterSecret());
        this.decoder = new AffiliateDecoder(codec);
        this.sessions = options.servers().stream()
                .map(server -> new DiscoverySession(vertx, server, options, codec, decoder, () -> local, this::sessionChanged,
                        new ConnectionFanOut()))
                .toList();
    }

    /** A client with its own Vert.x instance, closed with the client. */
    public static DiscoveryClient create(DiscoveryClientOptions options) {
        return new DiscoveryClient(Vertx.vertx(), true, options);
    }

    /** A client on an existing Vert.x instance (not closed by the client). */
    public static DiscoveryClient create(Vertx vertx, DiscoveryClientOptions options) {
        return new DiscoveryClient(vertx, false, options);
    }

    /** Starts every session; completes once each has received its first Watch snapshot. */
    public CompletionStage<Void> start() {
        context.runOnContext(v -> sessions.forEach(DiscoverySession::start));
        return Future.all(sessions.stream().map(DiscoverySession::firstSync).toList()).<Void>mapEmpty().toCompletionStage();
    }

    public void addListener(AffiliateListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(AffiliateListener listener) {
        listeners.remove(listener);
    }

    /** Told when each server connects and when it fails (once per outage). */
    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(Objects.requireNonNull(listener));
    }

    /** The other affiliates known right now, merged across servers, sorted by ID. */
    public List<DiscoveredAffiliate> affiliates() {
        return affiliates;
    }

    /** Sets (or replaces) the local affiliate and its endpoints; published at once when it changed. */
    public void setLocalAffiliate(AffiliateInfo info, List<NodeEndpoint> endpoints) {
        Objects.requireNonNull(info, "info");
        changeLocal(state -> state.withLocal(info, endpoints));
    }

    /** Endpoints this node observed for other affiliates, keyed by their IDs; published without data. */
    public void setObservedEndpoints(Map<String, List<NodeEndpoint>> observed) {
        changeLocal(state -> state.withObserved(observed));
    }

    /** Stops publishing the local affiliate and deletes it from every server. */
    public CompletionStage<Void> deleteLocalAffiliate() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            local = local.withLocal(null, List.of());
            Future.all(sessions.stream().map(DiscoverySession::deleteLocal).toList()).<Void>mapEmpty().onComplete(done);
        });
        return done.future().toCompletionStage();
    }

    /** The public IP the first server that answered Hello saw us coming from. */
    public Optional<InetAddress> publicIp() {
        return sessions.stream().map(DiscoverySession::publicIp).filter(Objects::nonNull).findFirst();
    }

    /** Blobs skipped because they did not decrypt or parse. */
    public long rejectedBlobs() {
        return decoder.rejectedBlobs();
    }

    /** Stops every session (the local affiliate then expires on the servers after its TTL). Idempotent. */
    public CompletionStage<Void> closeAsync() {
        Promise<Void> done = Promise.promise();
        if (!closing.compareAndSet(null, done)) {
            return closing.get().future().toCompletionStage();
        }
        context.runOnContext(v -> {
            sessions.forEach(DiscoverySession::close);
            if (ownsVertx) {
                vertx.close().onComplete(done);
            } else {
                done.complete();
            }
        });
        return done.future().toCompletionStage();
    }

    @Override
    public void close() {
        CompletionStage<Void> closing = closeAsync();
        if (!Context.isOnEventLoopThread()) {
            try {
                closing.toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("discovery client did not close cleanly: {}", e.toString());
            }
        }
    }

    private void changeLocal(UnaryOperator<LocalState> change) {
        context.runOnContext(v -> {
            LocalState next = change.apply(local);
            if (!next.equals(local)) {
                local = next;
                sessions.forEach(DiscoverySession::publishNow);
            }
        });
    }

    private void sessionChanged() {
        List<DiscoveredAffiliate> merged = AffiliateMerge.merge(sessions.stream().map(s -> s.view().affiliates()).toList());
        if (merged.equals(affiliates)) {
            return;
        }
        affiliates = merged;
        for (AffiliateListener listener : listeners) {
            try {
                listener.affiliatesChanged(merged);
            } catch (RuntimeException e) {
                LOG.warn("affiliate listener {} failed: {}", listener, e.toString());
            }
        }
    }

    /** Hands session connection changes to every registered listener; one failing listener spoils nothing. */
    private final class ConnectionFanOut implements ConnectionListener {
        @Override
        public void connected(ServerAddress server, InetAddress publicIp) {
            for (ConnectionListener listener : connectionListeners) {
                try {
                    listener.connected(server, publicIp);
                } catch (RuntimeException e) {
                    LOG.warn("connection listener {} failed: {}", listener, e.toString());
                }
            }
        }

        @Override
        public void failed(ServerAddress server, String reason) {
            for (ConnectionListener listener : connectionListeners) {
                try {
                    listener.failed(server, reason);
                } catch (RuntimeException e) {
                    LOG.warn("connection listener {} failed: {}", listener, e.toString());
                }
            }
        }
    }
}
