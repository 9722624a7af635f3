package dev.discoveryd.nodeclient.state;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the wire requests a node sends. */
public final class Requests {
    private Requests() {
    }

    public static HelloRequest hello(String clusterId, String clientVersion) {
        return HelloRequest.newBuilder().setClusterId(clusterId).setClientVersion(clientVersion).build();
    }

    /** @param data null leaves {@code affiliate_data} absent (endpoints only); empty sends it present but empty */
    public static AffiliateUpdateRequest update(String clusterId, String affiliateId, byte[] data,
                                                List<byte[]> endpoints, Duration ttl) {
        AffiliateUpdateRequest.Builder b = AffiliateUpdateRequest.newBuilder()
                .setClusterId(clusterId)
                .setAffiliateId(affiliateId)
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()));
        if (data != null) {
            b.setAffiliateData(ByteString.copyFrom(data));
        }
        endpoints.forEach(e -> b.addAffiliateEndpoints(ByteString.copyFrom(e)));
        return b.build();
    }

    public static AffiliateDeleteRequest delete(String clusterId, String affiliateId) {
        return AffiliateDeleteRequest.newBuilder().setClusterId(clusterId).setAffiliateId(affiliateId).build();
    }

    /** Every update that publishes {@code state}: the local affiliate first, then observed endpoints. */
    public static List<AffiliateUpdateRequest> publish(String clusterId, String affiliateId, LocalState state,
                                                       ClusterSealer codec, Duration ttl) {
        List<AffiliateUpdateRequest> out = new ArrayList<>();
        if (state.info() != null && affiliateId != null) {
            out.add(update(clusterId, affiliateId, codec.sealAffiliate(state.info()), seal(codec, state.endpoints()), ttl));
        }
        state.observed().forEach((id, endpoints) -> {
            if (!id.equals(affiliateId) && !endpoints.isEmpty()) {
                out.add(update(clusterId, id, null, seal(codec, endpoints), ttl));
            }
        });
        return out;
    }

    private static List<byte[]> seal(ClusterSealer codec, List<NodeEndpoint> endpoints) {
        return endpoints.stream().map(codec::sealEndpoint).toList();
    }
}
