package dev.discoveryd.agent.core;

import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Talos's KubeSpanPeerStatus with its rules (ksad/peer_status.go). {@code endpoint} is what WireGuard
 * reports; {@code lastUsedEndpoint} what the agent last set. Immutable: every change returns a copy.
 * Ours beyond Talos: {@code lastWorkingEndpoint} (what WireGuard used when the peer was last up), and for
 * faster endpoint discovery {@code lastProbe} (when a candidate was last set) with {@code probeTx} (the
 * transmit counter then: a rise proves WireGuard sent that candidate a handshake).
 */
public record PeerStatus(String publicKey, String label, Optional<NodeEndpoint> endpoint, PeerState state,
                         long receiveBytes, long transmitBytes, Optional<Instant> lastHandshakeTime,
                         Optional<NodeEndpoint> lastUsedEndpoint, Optional<Instant> lastEndpointChange,
                         Optional<NodeEndpoint> lastWorkingEndpoint, Optional<Instant> lastProbe, long probeTx) {
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
        Objects.requireNonNull(lastWorkingEndpoint, "lastWorkingEndpoint");
        Objects.requireNonNull(lastProbe, "lastProbe");
    }

    public static PeerStatus initial(String publicKey, String label) {
        return new PeerStatus(publicKey, label, Optional.empty(), PeerState.UNKNOWN, 0, 0, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /**
     * A peer WireGuard already has a live session with although this process has no status for it (the agent
     * restarted; the link outlived it): its endpoint is adopted as the one in use and the one that works, as if
     * set long ago, so the peer is up at once and no rotation overwrites a working endpoint. Empty when the
     * handshake is absent or older than {@link #PEER_DOWN_INTERVAL}, or WireGuard has no endpoint.
     */
    public static Optional<PeerStatus> adopted(String publicKey, String label, Optional<NodeEndpoint> endpoint,
                                               Optional<Instant> handshake, long rx, long tx, Instant now) {
        if (endpoint.isEmpty() || handshake.isEmpty()
                || Duration.between(handshake.get(), now).compareTo(PEER_DOWN_INTERVAL) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new PeerStatus(publicKey, label, endpoint, PeerState.UNKNOWN, rx, tx, handshake,
                endpoint, Optional.empty(), endpoint, Optional.empty(), tx).withStateAt(now));
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
        PeerStatus out = withState(next);
        if (next == PeerState.UP && endpoint.isPresent() && !endpoint.equals(lastWorkingEndpoint)) {
            out = new PeerStatus(publicKey, label, endpoint, next, receiveBytes, transmitBytes, lastHandshakeTime,
                    lastUsedEndpoint, lastEndpointChange, endpoint, lastProbe, probeTx);
        }
        return out;
    }

    /**
     * Faster endpoint discovery (ours): the candidate set last has had its chance (WireGuard sent it something,
     * {@code transmitBytes} rose, and {@code interval} passed) without a handshake since the endpoint change, and
     * the peer is not up. Talos waits for the peer to be down instead (15 s, then the next 30 s tick).
     */
    public boolean shouldProbe(Instant now, Duration interval) {
        if (interval.isZero() || state == PeerState.UP || lastUsedEndpoint.isEmpty() || lastProbe.isEmpty()
                || lastEndpointChange.isEmpty()) {
            return false;
        }
        boolean handshakeSinceChange = lastHandshakeTime.map(h -> h.isAfter(lastEndpointChange.get())).orElse(false);
        return !handshakeSinceChange && transmitBytes > probeTx
                && Duration.between(lastProbe.get(), now).compareTo(interval) >= 0;
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
        return pickNewEndpoint(candidates, c -> true);
    }

    /**
     * PickNewEndpoint skipping candidates {@code usable} rejects (ours: those WireGuard would reach through the
     * tunnel itself): the first usable one from where Talos would start. Empty when none is usable.
     */
    public Optional<NodeEndpoint> pickNewEndpoint(List<NodeEndpoint> candidates, Predicate<NodeEndpoint> usable) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        int start = 0;
        if (lastUsedEndpoint.isPresent()) {
            NodeEndpoint last = lastUsedEndpoint.get();
            if (candidates.size() == 1 && candidates.get(0).equals(last) && endpoint.equals(lastUsedEndpoint)) {
                return Optional.empty();
            }
            start = candidates.indexOf(last) + 1;
        }
        for (int i = 0; i < candidates.size(); i++) {
            NodeEndpoint c = candidates.get((start + i) % candidates.size());
            if (usable.test(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The first pick of a new round (the peer is down): the endpoint that last worked, when it is still a usable
     * candidate and not the one that just failed; otherwise {@link #pickNewEndpoint(List, Predicate)}.
     */
    public Optional<NodeEndpoint> pickPreferringLastWorking(List<NodeEndpoint> candidates,
                                                            Predicate<NodeEndpoint> usable) {
        if (lastWorkingEndpoint.isPresent() && !lastWorkingEndpoint.equals(lastUsedEndpoint)
                && candidates.contains(lastWorkingEndpoint.get()) && usable.test(lastWorkingEndpoint.get())) {
            return lastWorkingEndpoint;
        }
        return pickNewEndpoint(candidates, usable);
    }

    /** UpdateEndpoint: remember the endpoint set at {@code now}; state goes back to unknown. */
    public PeerStatus withEndpointSet(NodeEndpoint chosen, Instant now) {
        return new PeerStatus(publicKey, label, endpoint, PeerState.UNKNOWN, receiveBytes, transmitBytes,
                lastHandshakeTime, Optional.of(chosen), Optional.of(now), lastWorkingEndpoint, Optional.of(now),
                transmitBytes);
    }

    /**
     * A probe: the next candidate is set within the current round, so the time of the endpoint change (which
     * decides when the peer counts as down) stays that of the round's first candidate.
     */
    public PeerStatus withProbe(NodeEndpoint chosen, Instant now) {
        return new PeerStatus(publicKey, label, endpoint, state, receiveBytes, transmitBytes, lastHandshakeTime,
                Optional.of(chosen), lastEndpointChange, lastWorkingEndpoint, Optional.of(now), transmitBytes);
    }

    /** What WireGuard reported for this peer. */
    public PeerStatus withObserved(Optional<NodeEndpoint> current, Optional<Instant> handshake, long rx, long tx) {
        return new PeerStatus(publicKey, label, current, state, rx, tx, handshake, lastUsedEndpoint,
                lastEndpointChange, lastWorkingEndpoint, lastProbe, probeTx);
    }

    public PeerStatus withLabel(String newLabel) {
        return new PeerStatus(publicKey, newLabel, endpoint, state, receiveBytes, transmitBytes, lastHandshakeTime,
                lastUsedEndpoint, lastEndpointChange, lastWorkingEndpoint, lastProbe, probeTx);
    }

    private PeerStatus withState(PeerState next) {
        return new PeerStatus(publicKey, label, endpoint, next, receiveBytes, transmitBytes, lastHandshakeTime,
                lastUsedEndpoint, lastEndpointChange, lastWorkingEndpoint, lastProbe, probeTx);
    }

    /** Time since {@code t}; a zero (absent) time is infinitely long ago, as Go's time.Since of a zero time. */
    private static Duration since(Optional<Instant> t, Instant now) {
        return t.map(at -> Duration.between(at, now)).orElse(Duration.ofSeconds(Long.MAX_VALUE / 4));
    }
}
