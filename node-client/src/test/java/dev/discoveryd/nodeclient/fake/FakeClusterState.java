package dev.discoveryd.nodeclient.fake;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.WatchResponse;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory affiliates and watchers of the fake server; touched only from its event loop. */
final class FakeClusterState {
    record Watcher(String clusterId, WriteStream<WatchResponse> stream) {
    }

    private final Map<String, Map<String, Affiliate>> clusters = new HashMap<>();
    final List<Watcher> watchers = new CopyOnWriteArrayList<>();

    Map<String, Affiliate> cluster(String clusterId) {
        return clusters.computeIfAbsent(clusterId, id -> new LinkedHashMap<>());
    }

    void update(AffiliateUpdateRequest request) {
        Map<String, Affiliate> cluster = cluster(request.getClusterId());
        Affiliate existing = cluster.getOrDefault(request.getAffiliateId(),
                Affiliate.newBuilder().setId(request.getAffiliateId()).build());
        Affiliate.Builder next = existing.toBuilder();
        if (request.hasAffiliateData() && !request.getAffiliateData().isEmpty()) {
            next.setData(request.getAffiliateData());
        }
        for (ByteString endpoint : request.getAffiliateEndpointsList()) {
            if (!next.getEndpointsList().contains(endpoint)) {
                next.addEndpoints(endpoint);
            }
        }
        Affiliate updated = next.build();
        cluster.put(updated.getId(), updated);
        broadcast(request.getClusterId(), WatchResponse.newBuilder().addAffiliates(updated).build());
    }

    void delete(String clusterId, String affiliateId) {
        if (cluster(clusterId).remove(affiliateId) != null) {
            broadcast(clusterId, WatchResponse.newBuilder().setDeleted(true)
                    .addAffiliates(Affiliate.newBuilder().setId(affiliateId)).build());
        }
    }

    WatchResponse snapshot(String clusterId) {
        return WatchResponse.newBuilder().addAllAffiliates(new ArrayList<>(cluster(clusterId).values())).build();
    }

    void broadcast(String clusterId, WatchResponse message) {
        for (Watcher w : watchers) {
            if (w.clusterId().equals(clusterId)) {
                w.stream().write(message);
            }
        }
    }

    void clear() {
        clusters.clear();
        watchers.clear();
    }
}
