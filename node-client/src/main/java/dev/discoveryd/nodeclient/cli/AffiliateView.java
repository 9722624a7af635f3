package dev.discoveryd.nodeclient.cli;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.BlobFormatException;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The printable form of one affiliate: an ordered map that Jackson writes as JSON or YAML. */
final class AffiliateView {
    private AffiliateView() {
    }

    /** From the raw server form; an undecryptable entry becomes {@code {id, error}} instead of failing. */
    static Map<String, Object> fromRaw(Affiliate raw, ClusterSealer codec) {
        AffiliateInfo info = null;
        if (!raw.getData().isEmpty()) {
            try {
                info = codec.openAffiliate(raw.getData().toByteArray());
            } catch (BlobFormatException e) {
                Map<String, Object> broken = new LinkedHashMap<>();
                broken.put("id", raw.getId());
                broken.put("error", e.getMessage());
                return broken;
            }
        }
        List<NodeEndpoint> endpoints = new ArrayList<>();
        int badEndpoints = 0;
        for (ByteString record : raw.getEndpointsList()) {
            try {
                endpoints.add(codec.openEndpoint(record.toByteArray()));
            } catch (BlobFormatException e) {
                badEndpoints++;
            }
        }
        Map<String, Object> view = from(new DiscoveredAffiliate(raw.getId(), info, endpoints));
        if (badEndpoints > 0) {
            view.put("error", badEndpoints + " endpoint record(s) could not be decrypted");
        }
        return view;
    }

    static Map<String, Object> from(DiscoveredAffiliate affiliate) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", affiliate.id());
        AffiliateInfo info = affiliate.info();
        if (info != null) {
            view.put("nodeId", info.nodeId());
            view.put("hostname", info.hostname());
            view.put("nodename", info.nodename());
            view.put("machineType", info.machineType());
            view.put("operatingSystem", info.operatingSystem());
            view.put("addresses", info.addresses().stream().map(IpText::format).toList());
            view.put("kubespan", info.kubespan() == null ? null : kubespan(info.kubespan()));
            if (info.apiServerPort() != null) {
                view.put("controlPlane", Map.of("apiServerPort", info.apiServerPort()));
            }
        }
        view.put("endpoints", affiliate.endpoints().stream().map(NodeEndpoint::toString).toList());
        return view;
    }

    private static Map<String, Object> kubespan(KubeSpanInfo ks) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("publicKey", ks.publicKey());
        view.put("address", ks.address() == null ? null : IpText.format(ks.address()));
        view.put("additionalAddresses", ks.additionalAddresses().stream().map(IpPrefix::toString).toList());
        return view;
    }
}
