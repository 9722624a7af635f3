package dev.discoveryd.nodeclient.client;

import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanInfo;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeId;
import dev.discoveryd.nodeclient.state.Backoff;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared setup for client tests: one cluster, fast backoff, recorded listener calls. */
final class ClientHarness {
    static final String CLUSTER_ID = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
    static final ClusterSecret SECRET = ClusterSecret.fromBase64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

    private ClientHarness() {
    }

    static DiscoveryClientOptions options(String affiliateId, String... endpoints) {
        DiscoveryClientOptions options = new DiscoveryClientOptions()
                .setClusterId(CLUSTER_ID)
                .setClusterSecret(SECRET)
                .setAffiliateId(affiliateId)
                .setHelloTimeout(Duration.ofSeconds(2))
                .setUpdateTimeout(Duration.ofSeconds(2))
                .setBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)));
        for (String endpoint : endpoints) {
            options.addEndpoint(endpoint);
        }
        return options;
    }

    static AffiliateInfo info(String nodeId, String hostname) {
        return new AffiliateInfo(nodeId, hostname, hostname, "worker", "Talos (v1.11.0)",
                List.of(IpText.parse("172.20.0.5"), IpText.parse("fd83:b1f7:fcb5:2802::5")),
                new KubeSpanInfo("mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7h=", IpText.parse("fd7f::1"),
                        List.of(IpPrefix.parse("10.244.1.0/24"))),
                null);
    }

    static String newId() {
        return NodeId.generate();
    }

    /** Records every snapshot a listener is given. */
    static final class Recorder implements AffiliateListener {
        final List<List<DiscoveredAffiliate>> calls = new CopyOnWriteArrayList<>();

        @Override
        public void affiliatesChanged(List<DiscoveredAffiliate> affiliates) {
            calls.add(affiliates);
        }

        List<DiscoveredAffiliate> last() {
            return calls.isEmpty() ? List.of() : calls.get(calls.size() - 1);
        }

        List<String> lastIds() {
            return last().stream().map(DiscoveredAffiliate::id).toList();
        }
    }
}
