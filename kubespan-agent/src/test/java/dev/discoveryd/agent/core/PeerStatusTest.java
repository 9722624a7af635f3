package dev.discoveryd.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every branch of CalculateStateWithDurations, ShouldChangeEndpoint and PickNewEndpoint. */
class PeerStatusTest {
    private static final NodeEndpoint E1 = NodeEndpoint.parse("10.0.0.1:51820");
    private static final NodeEndpoint E2 = NodeEndpoint.parse("10.0.0.2:51820");
    private static final NodeEndpoint E3 = NodeEndpoint.parse("10.0.0.3:51820");
    private final ManualClock clock = new ManualClock();

    @Test
    void withinFifteenSecondsOfAChange() {
        PeerStatus set = PeerStatus.initial("k", "l").withEndpointSet(E1, clock.now());
        assertThat(set.withStateAt(clock.advance(10)).state()).isEqualTo(PeerState.UNKNOWN);
        assertThat(handshake(set, clock.now().minusSeconds(2)).withStateAt(clock.now()).state()).isEqualTo(PeerState.UP);
        // A handshake from before the change does not count.
        assertThat(handshake(set, clock.now().minusSeconds(60)).withStateAt(clock.now()).state()).isEqualTo(PeerState.UNKNOWN);
    }

    @Test
    void betweenFifteenAnd275Seconds() {
        PeerStatus set = PeerStatus.initial("k", "l").withEndpointSet(E1, clock.now());
        assertThat(set.withStateAt(clock.advance(16)).state()).isEqualTo(PeerState.DOWN);
        assertThat(handshake(set, clock.now().minusSeconds(1)).withStateAt(clock.now()).state()).isEqualTo(PeerState.UP);
        assertThat(set.withStateAt(clock.advance(250)).state()).isEqualTo(PeerState.DOWN);
    }

    @Test
    void after275SecondsOnlyTheHandshakeAgeCounts() {
        Instant changed = clock.now();
        PeerStatus set = PeerStatus.initial("k", "l").withEndpointSet(E1, changed);
        clock.advance(1000);
        assertThat(handshake(set, clock.now().minusSeconds(200)).withStateAt(clock.now()).state()).isEqualTo(PeerState.UP);
        assertThat(handshake(set, clock.now().minusSeconds(276)).withStateAt(clock.now()).state()).isEqualTo(PeerState.DOWN);
    }

    @Test
    void downWithoutATriedEndpointIsUnknown() {
        PeerStatus fresh = PeerStatus.initial("k", "l");
        assertThat(fresh.withStateAt(clock.advance(500)).state()).isEqualTo(PeerState.UNKNOWN);
        assertThat(fresh.shouldChangeEndpoint()).isTrue();
        PeerStatus roamedIn = handshake(fresh, clock.now().minusSeconds(5)).withStateAt(clock.now());
        assertThat(roamedIn.state()).isEqualTo(PeerState.UP);
    }

    @Test
    void shouldChangeOnlyWhenDownOrNeverSet() {
        PeerStatus set = PeerStatus.initial("k", "l").withEndpointSet(E1, clock.now());
        assertThat(set.withStateAt(clock.advance(5)).shouldChangeEndpoint()).isFalse();
        assertThat(set.withStateAt(clock.advance(20)).shouldChangeEndpoint()).isTrue();
    }

    @Test
    void pickCyclesInOrderAndWraps() {
        PeerStatus s = PeerStatus.initial("k", "l");
        assertThat(s.pickNewEndpoint(List.of())).isEmpty();
        assertThat(s.pickNewEndpoint(List.of(E1, E2, E3))).contains(E1);
        s = s.withEndpointSet(E1, clock.now());
        assertThat(s.pickNewEndpoint(List.of(E1, E2, E3))).contains(E2);
        s = s.withEndpointSet(E3, clock.now());
        assertThat(s.pickNewEndpoint(List.of(E1, E2, E3))).contains(E1);
        // The last used one is gone from the list: start over at the first.
        assertThat(s.pickNewEndpoint(List.of(E2, E1))).contains(E2);
    }

    @Test
    void singleCandidateAlreadyInUseIsNoChange() {
        PeerStatus s = PeerStatus.initial("k", "l").withEndpointSet(E1, clock.now());
        PeerStatus reported = s.withObserved(Optional.of(E1), Optional.empty(), 0, 0);
        assertThat(reported.pickNewEndpoint(List.of(E1))).isEmpty();
        // WireGuard reports nothing (or something else): set it again.
        assertThat(s.pickNewEndpoint(List.of(E1))).contains(E1);
    }

    private static PeerStatus handshake(PeerStatus s, Instant at) {
        return s.withObserved(s.endpoint(), Optional.of(at), 10, 20);
    }
}
