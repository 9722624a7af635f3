package dev.discoveryd.agent.daemon;

import dev.discoveryd.agent.config.AgentConfig;
import dev.discoveryd.agent.config.DiscoveryService;
import dev.discoveryd.agent.machine.MachineFacts;
import dev.discoveryd.nodeclient.client.ConnectionListener;
import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import dev.discoveryd.nodeclient.state.ServerAddress;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node-client DiscoveryClient per configured discovery service, on one small Vert.x instance, so
 * that each service's affiliates stay apart (raw IDs {@code service/<name>/...}) and are merged by the
 * agent. Owns the clients and the Vert.x instance.
 */
final class DiscoveryLinks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryLinks.class);

    /** Callbacks, called on a Vert.x event loop: hand over, never block. */
    interface Listener {
        void affiliates(String service, List<DiscoveredAffiliate> affiliates, boolean synced);

        void connected(String service, InetAddress publicIp);

        void failed(String service, String reason);
    }

    private final Vertx vertx;
    private final Map<String, DiscoveryClient> clients = new LinkedHashMap<>();

    DiscoveryLinks(AgentConfig config, String nodeId, Listener listener) {
        // One event loop and one worker: a node agent talks to a handful of servers.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(10_000)
                // A cold JVM on a busy machine loads classes on the loop: not worth a stack trace.
                .setMaxEventLoopExecuteTime(20).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS)
                .setWarningExceptionTime(120).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
        for (DiscoveryService service : config.services()) {
            DiscoveryClientOptions options = new DiscoveryClientOptions()
                    .addServer(ServerAddress.parse(service.endpoint(), service.insecure()))
                    .setClusterId(config.clusterId())
                    .setClusterSecret(ClusterSecret.fromBase64(config.clusterSecret()))
                    .setAffiliateId(nodeId)
                    .setClientVersion("kubespan-agent " + MachineFacts.VERSION);
            DiscoveryClient client = DiscoveryClient.create(vertx, options);
            String name = service.name();
            client.addListener(affiliates -> listener.affiliates(name, affiliates, true));
            client.addConnectionListener(new ConnectionListener() {
                @Override
                public void connected(ServerAddress server, InetAddress publicIp) {
                    listener.connected(name, publicIp);
                }

                @Override
                public void failed(ServerAddress server, String reason) {
                    listener.failed(name, reason);
                }
            });
            clients.put(name, client);
        }
        clients.forEach((name, client) -> client.start().whenComplete((v, err) -> {
            if (err == null) {
                listener.affiliates(name, client.affiliates(), true);
            }
        }));
    }

    void publish(AffiliateInfo info, List<NodeEndpoint> endpoints) {
        clients.values().forEach(c -> c.setLocalAffiliate(info, endpoints));
    }

    void publishObserved(Map<String, List<NodeEndpoint>> observed) {
        clients.values().forEach(c -> c.setObservedEndpoints(observed));
    }

    Optional<InetAddress> publicIp(String service) {
        DiscoveryClient client = clients.get(service);
        return client == null ? Optional.empty() : client.publicIp();
    }

    /** Deletes the local affiliate from every service, waiting at most {@code timeout} in all. */
    void deleteLocal(Duration timeout) {
        List<CompletableFuture<String>> deletes = new ArrayList<>();
        clients.forEach((name, client) -> deletes.add(client.deleteLocalAffiliate().toCompletableFuture()
                .handle((v, err) -> err == null ? null : name + ": " + err.getMessage())));
        try {
            CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("not every discovery service confirmed the delete within {} s", timeout.toSeconds());
        }
        for (int i = 0; i < deletes.size(); i++) {
            String problem = deletes.get(i).getNow("timed out");
            String name = new ArrayList<>(clients.keySet()).get(i);
            if (problem == null) {
                LOG.info("deleted the local affiliate from discovery service {}", name);
            } else {
                LOG.warn("could not delete the local affiliate from discovery service {} ({}); it expires with its TTL", name, problem);
            }
        }
    }

    @Override
    public void close() {
        clients.values().forEach(DiscoveryClient::close);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
    }
}
