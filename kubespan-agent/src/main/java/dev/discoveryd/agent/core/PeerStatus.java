package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Talos's KubeSpanPeerStatus with its rules (ksad/peer_status.go). {@code endpoint} is what WireGuard
 * reports; {@code lastUsedEndpoint} what the agent last set. Immutable: every change returns a copy.
 */
public record PeerStatus(String publicKey, String label, Optional<NodeEndpoint> endpoint, PeerState state,
                         long receiveBytes, long transmitBytes, Optional<Instant> lastHandshakeTime,
                         Optional<NodeEndpoint> lastUsedEndpoint, Optional<Instant> lastEndpointChange) {
    /** How long after an endpoint change a peer without handshake is still "unknown", not "down". */
    public static final Duration ENDPOINT_CONNECTION_TIMEOUT = Duration.ofSeconds(15);
    /** WireGuard's reject-after time plus margins: 180 + 5 + 90 s. */
    public static final Duration PEER_DOWN_INTERVAL = Duration.ofSeconds(275);

    public PeerStatus {
        Objects.requireNonNull(publicKey, "publicKey");
        label = label == null ? "" : label;
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastHandshakeTime, "lastHandshakeTime");
        Objects.requireNonNull(lastUsedEndpoint, "lastUsedEndpoint");
        Objects.requireNonNull(lastEndpointChange, "lastEndpointChange");
    }

    public static PeerStatus initial(String publicKey, String label) {
        return new PeerStatus(publicKey, label, Optional.empty(), PeerState.UNKNOWN, 0, 0, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** CalculateStateWithDurations, evaluated at {@code now}. */
    public PeerStatus withStateAt(Instant now) {
        Duration sinceHandshake = since(lastHandshakeTime, now);
        Duration sinceChange = since(lastEndpointChange, now);
        boolean handshakeAfterChange = sinceHandshake.compareTo(sinceChange) < 0;
        PeerState next;
        if (sinceChange.compareTo(PEER_DOWN_INTERVAL) > 0) {
            next = sinceHandshake.compareTo(PEER_DOWN_INTERVAL) < 0 ? PeerState.UP : PeerState.DOWN;
        } else if (sinceChange.compareTo(ENDPOINT_CONNECTION_TIMEOUT) < 0) {
            next = handshakeAfterChange ? PeerState.UP : PeerState.UNKNOWN;
        } else {
            next = handshakeAfterChange ? PeerState.UP : PeerState.DOWN;
        }
        if (next == PeerState.DOWN && lastUsedEndpoint.isEmpty()) {
            next = PeerState.UNKNOWN;
        }
        return withState(next);
    }

    /** ShouldChangeEndpoint: the peer is down, or no endpoint was ever set. */
    public boolean shouldChangeEndpoint() {
        return state == PeerState.DOWN || lastUsedEndpoint.isEmpty();
    }

    /**
     * PickNewEndpoint: the first candidate if none was used yet, else the one after the last used in the
     * current list, wrapping (the first when the last used is no longer listed). Empty means "no change".
     */
    public Optional<NodeEndpoint> pickNewEndpoint(List<NodeEndpoint> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (lastUsedEndpoint.isEmpty()) {
            return Optional.of(candidates.get(0));
        }
        NodeEndpoint last = lastUsedEndpoint.get();
        if (candidates.size() == 1 && candidates.get(0).equals(last) && endpoint.equals(lastUsedEndpoint)) {
            return Optional.empty();
        }
        int index = candidates.indexOf(last);
        return Optional.of(candidates.get((index + 1) % candidates.size()));
    }

    /** UpdateEndpoint: remember the endpoint set at {@code now}; state goes back to unknown. */
    public PeerStatus withEndpointSet(NodeEndpoint chosen, Instant now) {
        return new PeerStatus(publicKey, label, endpoint, PeerState.UNKNOWN, receiveBytes, transmitBytes,
                lastHandshakeTime, Optional.of(chosen), Optional.of(now));
    }

    /** What WireGuard reported for this peer. */
    public PeerStatus withObserved(Optional<NodeEndpoint> current, Optional<Instant> handshake, long rx, long tx) {
        return new PeerStatus(publicKey, label, current, state, rx, tx, handshake, lastUsedEndpoint,
                lastEndpointChange);
    }

    public PeerStatus withLabel(String newLabel) {
        return new PeerStatus(publicKey, newLabel, endpoint, state, receiveBytes, transmitBytes, lastHandshakeTime,
                lastUsedEndpoint, lastEndpointChange);
    }

    private PeerStatus withState(PeerState next) {
        return new PeerStatus(publicKey, label, endpoint, next, receiveBytes, transmitBytes, lastHandshakeTime,
                lastUsedEndpoint, lastEndpointChange);
    }

    /** Time since {@code t}; a zero (absent) time is infinitely long ago, as Go's time.Since of a zero time. */
    private static Duration since(Optional<Instant> t, Instant now) {
        return t.map(at -> Duration.between(at, now)).orElse(Duration.ofSeconds(Long.MAX_VALUE / 4));
    }
}
