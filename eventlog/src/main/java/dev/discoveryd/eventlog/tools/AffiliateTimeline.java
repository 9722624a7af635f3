package dev.discoveryd.eventlog.tools;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.ClusterState;
import dev.discoveryd.core.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds one cluster's events and tells, for each, what the affiliate looked like afterwards (decoded) and what changed
 * since its previous event: fields, addresses and endpoints added and removed. Endpoints are the affiliate's whole
 * stored set (updates merge, expiry removes), as the service serves it. Single-threaded.
 */
public final class AffiliateTimeline {
    private final String clusterId;
    private final BlobDecoder decoder;
    private final ClusterState cluster;
    /** Each live affiliate's state after its last event, so that only the new state is decoded. */
    private final Map<String, State> states = new java.util.HashMap<>();

    public AffiliateTimeline(String clusterId, BlobDecoder decoder) {
        this.clusterId = clusterId;
        this.decoder = decoder;
        this.cluster = new ClusterState(clusterId);
    }

    public String clusterId() {
        return clusterId;
    }

    /** One event of the cluster, decoded. */
    public record Entry(DecodedAffiliate decoded, String undecodableData, List<String> updateEndpoints,
                        int undecodableEndpoints, List<String> endpointsNow, Changes changes) {
    }

    /** What changed since the affiliate's previous event ({@code fields}: name to {from, to}). */
    public record Changes(Map<String, String[]> fields, List<String> addressesAdded, List<String> addressesRemoved,
                          List<String> endpointsAdded, List<String> endpointsRemoved) {
        public boolean isEmpty() {
            return fields.isEmpty() && addressesAdded.isEmpty() && addressesRemoved.isEmpty()
                    && endpointsAdded.isEmpty() && endpointsRemoved.isEmpty();
        }
    }

    /** Applies {@code event} (which must belong to this cluster) and describes it. */
    public Entry apply(Event event) {
        if (!clusterId.equals(event.clusterId())) {
            throw new IllegalArgumentException("event of cluster " + event.clusterId() + ", timeline of " + clusterId);
        }
        Affiliate after = cluster.evolve(event);
        State was = states.getOrDefault(event.affiliateId(), State.NONE);
        State now = state(after);
        if (after == null) {
            states.remove(event.affiliateId());
        } else {
            states.put(event.affiliateId(), now);
        }
        DecodedAffiliate decoded = null;
        String undecodable = null;
        List<String> updateEndpoints = List.of();
        int badEndpoints = 0;
        if (event instanceof Event.AffiliateUpdated u) {
            if (u.data() != null) {
                try {
                    decoded = decoder.affiliate(u.data());
                } catch (BlobDecoder.Undecodable e) {
                    undecodable = e.getMessage();
                }
            }
            updateEndpoints = new ArrayList<>();
            for (byte[] record : u.endpoints()) {
                try {
                    updateEndpoints.add(decoder.endpoint(record));
                } catch (BlobDecoder.Undecodable e) {
                    badEndpoints++;
                }
            }
        }
        return new Entry(decoded, undecodable, updateEndpoints, badEndpoints, List.copyOf(now.endpoints),
                diff(was, now));
    }

    /** An affiliate as text: its decoded data (null when none or undecodable) and decoded endpoints. */
    private record State(DecodedAffiliate data, Set<String> endpoints) {
        static final State NONE = new State(null, Set.of());
    }

    private State state(Affiliate a) {
        if (a == null) {
            return State.NONE;
        }
        DecodedAffiliate data = null;
        if (a.data() != null && a.data().length > 0) {
            try {
                data = decoder.affiliate(a.data());
            } catch (BlobDecoder.Undecodable e) {
                data = null;
            }
        }
        Set<String> endpoints = new LinkedHashSet<>();
        for (int i = 0; i < a.endpointCount(); i++) {
            try {
                endpoints.add(decoder.endpoint(a.endpoint(i)));
            } catch (BlobDecoder.Undecodable e) {
                // counted on the update that brought it
            }
        }
        return new State(data, endpoints);
    }

    private static Changes diff(State was, State now) {
        Map<String, String[]> fields = new LinkedHashMap<>();
        DecodedAffiliate a = was.data;
        DecodedAffiliate b = now.data;
        field(fields, "hostname", a == null ? null : a.hostname(), b == null ? null : b.hostname());
        field(fields, "nodename", a == null ? null : a.nodename(), b == null ? null : b.nodename());
        field(fields, "machineType", a == null ? null : a.machineType(), b == null ? null : b.machineType());
        field(fields, "operatingSystem", a == null ? null : a.operatingSystem(), b == null ? null : b.operatingSystem());
        field(fields, "kubespanPublicKey", a == null ? null : a.kubespanPublicKey(), b == null ? null : b.kubespanPublicKey());
        field(fields, "kubespanAddress", a == null ? null : a.kubespanAddress(), b == null ? null : b.kubespanAddress());
        List<String> oldAddresses = a == null ? List.of() : a.addresses();
        List<String> newAddresses = b == null ? List.of() : b.addresses();
        return new Changes(fields, minus(newAddresses, oldAddresses), minus(oldAddresses, newAddresses),
                minus(now.endpoints, was.endpoints), minus(was.endpoints, now.endpoints));
    }

    private static void field(Map<String, String[]> fields, String name, String from, String to) {
        if (!Objects.equals(from, to)) {
            fields.put(name, new String[] {from, to});
        }
    }

    private static List<String> minus(java.util.Collection<String> a, java.util.Collection<String> b) {
        List<String> out = new ArrayList<>();
        for (String s : a) {
            if (!b.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
