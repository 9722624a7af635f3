package dev.discoveryd.agent.core;

import java.time.Instant;
import java.util.Objects;

/** Something an operator wants to know happened: {@code kind} is one of the constants, {@code id} what it is about. */
public record AgentEvent(Instant time, String kind, String id, String message) {
    public static final String PEER_UP = "PeerUp";
    public static final String PEER_DOWN = "PeerDown";
    public static final String ENDPOINT_CHANGED = "EndpointChanged";
    public static final String AFFILIATE_ADDED = "AffiliateAdded";
    public static final String AFFILIATE_REMOVED = "AffiliateRemoved";
    public static final String DISCOVERY_CONNECTED = "DiscoveryConnected";
    public static final String DISCOVERY_FAILED = "DiscoveryFailed";
    public static final String PEER_ADDRESS_OVERLAP = "PeerAddressOverlap";
    public static final String ENDPOINT_REFUSED = "EndpointRefused";

    public AgentEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        id = id == null ? "" : id;
        message = message == null ? "" : message;
    }
}
