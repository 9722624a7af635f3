package dev.discoveryd.nodeclient.state;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.util.List;

/** Small builders shared by the pure state tests. */
final class Fixtures {
    static final ClusterSealer CODEC = new ClusterSealer(ClusterSecret.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));

    private Fixtures() {
    }

    static AffiliateInfo info(String id) {
        return new AffiliateInfo(id, "host-" + id, "node-" + id, "worker", "Talos", List.of(IpText.parse("10.0.0.1")), null, null);
    }

    static NodeEndpoint endpoint(String text) {
        return NodeEndpoint.parse(text);
    }

    static Affiliate raw(String id, AffiliateInfo info, NodeEndpoint... endpoints) {
        Affiliate.Builder b = Affiliate.newBuilder().setId(id);
        if (info != null) {
            b.setData(ByteString.copyFrom(CODEC.sealAffiliate(info)));
        }
        for (NodeEndpoint e : endpoints) {
            b.addEndpoints(ByteString.copyFrom(CODEC.sealEndpoint(e)));
        }
        return b.build();
    }
}
