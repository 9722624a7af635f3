package dev.discoveryd.nodeclient.state;

import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.BlobFormatException;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns server affiliates into {@link DiscoveredAffiliate}s. Blobs that do not decrypt or parse are
 * skipped and counted; each affiliate's failure is logged once, not on every update.
 */
public final class AffiliateDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(AffiliateDecoder.class);
    private static final int MAX_REMEMBERED = 4096;

    private final ClusterSealer codec;
    private final AtomicLong rejected = new AtomicLong();
    private final Set<String> alreadyLogged = new HashSet<>();

    public AffiliateDecoder(ClusterSealer codec) {
        this.codec = codec;
    }

    /** Empty when the affiliate's data cannot be used at all. */
    public Optional<DiscoveredAffiliate> decode(Affiliate raw) {
        AffiliateInfo info = null;
        if (!raw.getData().isEmpty()) {
            try {
                info = codec.openAffiliate(raw.getData().toByteArray());
            } catch (BlobFormatException e) {
                reject(raw.getId(), "data", e);
                return Optional.empty();
            }
        }
        List<NodeEndpoint> endpoints = new ArrayList<>(raw.getEndpointsCount());
        for (ByteString record : raw.getEndpointsList()) {
            try {
                endpoints.add(codec.openEndpoint(record.toByteArray()));
            } catch (BlobFormatException e) {
                reject(raw.getId(), "endpoint", e);
            }
        }
        return Optional.of(new DiscoveredAffiliate(raw.getId(), info, endpoints));
    }

    /** Number of blobs (affiliate data or endpoint records) skipped so far. */
    public long rejectedBlobs() {
        return rejected.get();
    }

    private void reject(String id, String what, BlobFormatException e) {
        rejected.incrementAndGet();
        synchronized (alreadyLogged) {
            if (alreadyLogged.size() < MAX_REMEMBERED && alreadyLogged.add(id + "/" + what)) {
                LOG.warn("skipping undecodable {} of affiliate {}: {}", what, abbreviate(id), e.getMessage());
            }
        }
    }

    private static String abbreviate(String id) {
        return id.length() > 64 ? id.substring(0, 64) + "..." : id;
    }
}
