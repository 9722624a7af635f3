package dev.discoveryd.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.config.AgentConfig;
import dev.discoveryd.agent.config.DiscoveryService;
import dev.discoveryd.agent.control.Wire;
import dev.discoveryd.agent.identity.SecureFiles;
import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.state.ServerAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers where the local affiliate was published ({@code published-services.json}), so that when
 * discovery is turned off, a service is dropped from the config or the cluster ID changes, the next start
 * deletes the affiliate there instead of leaving a 30-minute ghost (as Talos does).
 */
final class PublishedServices {
    static final String FILE = "published-services.json";
    private static final Logger LOG = LoggerFactory.getLogger(PublishedServices.class);

    private PublishedServices() {
    }

    /** Deletes the affiliate from services published to before but not configured now, then records the new set. */
    static void reconcile(Path stateDir, AgentConfig config, String nodeId) {
        Path file = stateDir.resolve(FILE);
        List<DiscoveryService> stale = new ArrayList<>();
        String oldCluster = config.clusterId();
        try {
            if (Files.exists(file)) {
                JsonNode root = Wire.JSON.readTree(Files.readString(file));
                oldCluster = root.path("clusterId").asText();
                for (JsonNode s : root.path("services")) {
                    DiscoveryService old = new DiscoveryService(s.path("name").asText(), s.path("endpoint").asText(),
                            s.path("insecure").asBoolean());
                    if (!oldCluster.equals(config.clusterId()) || !config.services().contains(old)) {
                        stale.add(old);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} is unreadable ({}); cannot clean up earlier publications", file, e.getMessage());
        }
        for (DiscoveryService service : stale) {
            delete(service, oldCluster, nodeId);
        }
        try {
            ObjectNode root = Wire.JSON.createObjectNode();
            root.put("clusterId", config.clusterId() == null ? "" : config.clusterId());
            ArrayNode list = root.putArray("services");
            config.services().forEach(s -> list.addObject().put("name", s.name()).put("endpoint", s.endpoint())
                    .put("insecure", s.insecure()));
            SecureFiles.replace(file, Wire.JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            LOG.warn("could not record the discovery services in {}: {}", file, e.getMessage());
        }
    }

    private static void delete(DiscoveryService service, String clusterId, String nodeId) {
        // A delete carries no encrypted data: any key will do for the client's options.
        DiscoveryClientOptions options = new DiscoveryClientOptions()
                .addServer(ServerAddress.parse(service.endpoint(), service.insecure()))
                .setClusterId(clusterId).setClusterSecret(ClusterSecret.fromBytes(new byte[32])).setAffiliateId(nodeId);
        try (DiscoveryClient client = DiscoveryClient.create(options)) {
            client.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            client.deleteLocalAffiliate().toCompletableFuture().get(10, TimeUnit.SECONDS);
            LOG.info("deleted the local affiliate from discovery service {} ({}), which is no longer configured",
                    service.name(), service.endpoint());
        } catch (Exception e) {
            LOG.warn("could not delete the local affiliate from discovery service {} ({}): {}; it expires with its TTL",
                    service.name(), service.endpoint(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
