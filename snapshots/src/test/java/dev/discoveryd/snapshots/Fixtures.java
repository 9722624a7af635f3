package dev.discoveryd.snapshots;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small views for tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** The one-partition position at {@code index}. */
    static LogPosition at(long index) {
        return LogPosition.of(index);
    }

    static Affiliate affiliate(String id, String data, long expiresAt, String... endpoints) {
        byte[][] eps = new byte[endpoints.length][];
        long[] exps = new long[endpoints.length];
        for (int i = 0; i < endpoints.length; i++) {
            eps[i] = endpoints[i].getBytes(StandardCharsets.UTF_8);
            exps[i] = expiresAt - i;
        }
        return Affiliate.restore(id, data.getBytes(StandardCharsets.UTF_8), expiresAt, eps, exps);
    }

    static ClusterState cluster(String id, Affiliate... affiliates) {
        ClusterState cluster = new ClusterState(id);
        for (Affiliate a : affiliates) {
            cluster.restore(a);
        }
        return cluster;
    }

    /** {@code clusters} clusters of {@code perCluster} affiliates with distinct content. */
    static List<ClusterState> clusters(int clusters, int perCluster, String tag) {
        List<ClusterState> list = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            ClusterState cluster = new ClusterState("cluster-" + c);
            for (int a = 0; a < perCluster; a++) {
                cluster.restore(affiliate("affiliate-" + c + "-" + a, tag + "-data-" + c + "-" + a, 1_000L + a,
                        "ep-" + c + "-" + a + "-x", "ep-" + c + "-" + a + "-y"));
            }
            list.add(cluster);
        }
        return list;
    }

    static View view(List<ClusterState> clusters) {
        View view = new View();
        for (ClusterState c : clusters) {
            view.restore(copy(c));
        }
        return view;
    }

    static ClusterState copy(ClusterState cluster) {
        ClusterState copy = new ClusterState(cluster.id());
        cluster.affiliates().forEach(copy::restore);
        return copy;
    }
}
