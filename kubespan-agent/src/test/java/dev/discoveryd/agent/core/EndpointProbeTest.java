package dev.discoveryd.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.PeerStats;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Ours beyond Talos, with a hand-moved clock: probing candidates every 5 s once WireGuard tried one, preferring the
 * endpoint that last worked, refusing candidates routed through the tunnel, and adopting live sessions on restart.
 */
class EndpointProbeTest {
    private static final String KEY = "NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=";
    private static final WireGuardKey PRIVATE = new WireGuardKey("gNoasoKOJzl+/B+uXhvsBVxv81OcVLrlcmQ5jQwZO08=");
    private static final NodeEndpoint GOOD = NodeEndpoint.parse("10.0.0.2:51820");
    private static final NodeEndpoint BAD1 = NodeEndpoint.parse("10.9.9.1:51820");
    private static final NodeEndpoint BAD2 = NodeEndpoint.parse("10.9.9.2:51820");
    private static final NodeEndpoint BAD3 = NodeEndpoint.parse("10.9.9.3:51820");
    private static final NodeEndpoint BAD4 = NodeEndpoint.parse("10.9.9.4:51820");
    /** One WireGuard handshake initiation on the wire. */
    private static final long INITIATION = 148;

    private final ManualClock clock = new ManualClock();

    @Test
    void aJoiningPeerIsProbedEveryIntervalInsteadOfOneCandidatePerTick() {
        PeerSpec spec = spec(BAD1, BAD2, GOOD);
        Peer p = new Peer(spec, Duration.ofSeconds(5));
        assertThat(p.pass(0, Optional.empty())).contains(BAD1);
        clock.advance(5);
        assertThat(p.pass(INITIATION, Optional.empty())).contains(BAD2);
        assertThat(p.status().state()).as("still within the first 15 s: unknown, as Talos").isEqualTo(PeerState.UNKNOWN);
        clock.advance(5);
        assertThat(p.pass(2 * INITIATION, Optional.empty())).contains(GOOD);
        clock.advance(1);
        p.pass(3 * INITIATION, Optional.of(clock.now()));
        assertThat(p.status().state()).isEqualTo(PeerState.UP);
        assertThat(p.status().lastWorkingEndpoint()).contains(GOOD);
        assertThat(p.events).filteredOn(e -> e.kind().equals(AgentEvent.ENDPOINT_CHANGED)).hasSize(3);
        // 11 s to the third candidate; Talos needs about 60 s (15 s grace, then one candidate per 30 s tick).
    }

    @Test
    void talosPaceWhenProbingIsOff() {
        Peer p = new Peer(spec(BAD1, BAD2, GOOD), Duration.ZERO);
        assertThat(p.pass(0, Optional.empty())).contains(BAD1);
        clock.advance(5);
        assertThat(p.pass(INITIATION, Optional.empty())).as("no change before the peer is down").contains(BAD1);
        clock.advance(10);
        assertThat(p.pass(3 * INITIATION, Optional.empty())).as("down after 15 s: next candidate").contains(BAD2);
    }

    @Test
    void noProbeBeforeWireGuardHasTriedTheCandidate() {
        Peer p = new Peer(spec(BAD1, GOOD), Duration.ofSeconds(5));
        p.pass(0, Optional.empty());
        clock.advance(6);
        assertThat(p.pass(0, Optional.empty())).as("nothing sent to BAD1 yet: it keeps its chance").contains(BAD1);
        clock.advance(1);
        assertThat(p.pass(INITIATION, Optional.empty())).as("an initiation went out, no answer").contains(GOOD);
    }

    @Test
    void theFirstPickOfANewRoundIsTheEndpointThatLastWorked() {
        Peer p = new Peer(spec(GOOD, BAD1, BAD2, BAD3, BAD4), Duration.ofSeconds(5));
        assertThat(p.pass(0, Optional.empty())).contains(GOOD);
        clock.advance(1);
        Instant lastHandshake = clock.now();
        p.pass(INITIATION, Optional.of(lastHandshake));
        assertThat(p.status().state()).isEqualTo(PeerState.UP);

        clock.advance(300); // the peer went away: no handshake for 300 s
        long tx = 10_000;
        assertThat(p.pass(tx, Optional.of(lastHandshake))).as("down: rotation goes on after GOOD").contains(BAD1);
        clock.advance(5);
        assertThat(p.pass(tx += INITIATION, Optional.of(lastHandshake))).contains(BAD2);
        clock.advance(5);
        assertThat(p.pass(tx += INITIATION, Optional.of(lastHandshake))).contains(BAD3);
        clock.advance(5);
        assertThat(p.pass(tx += INITIATION, Optional.of(lastHandshake)))
                .as("the round is over (down again): back to what worked, not BAD4").contains(GOOD);
    }

    @Test
    void aCandidateRoutedThroughTheTunnelIsNeverPicked() {
        NodeEndpoint tunnelled = NodeEndpoint.parse("[fd7f:175a:b97c:5602::3]:51820");
        List<NodeEndpoint> asked = new ArrayList<>();
        Predicate<NodeEndpoint> usable = c -> {
            asked.add(c);
            return !c.equals(tunnelled);
        };
        PeerSpec spec = spec(tunnelled, GOOD);
        PeerReconciler.Result r = PeerReconciler.reconcile(List.of(spec), Map.of(), List.of(),
                settings(Duration.ofSeconds(5)), usable, clock.now());
        assertThat(r.desired().wireGuard().peers().get(0).endpoint()).contains(GOOD);
        assertThat(asked).containsExactly(tunnelled, GOOD);

        PeerSpec only = spec(tunnelled);
        r = PeerReconciler.reconcile(List.of(only), Map.of(), List.of(), settings(Duration.ZERO), usable, clock.now());
        assertThat(r.desired().wireGuard().peers().get(0).endpoint()).as("no usable candidate: none set").isEmpty();
        assertThat(r.events()).isEmpty();

        Map<String, PeerStatus> before = pass(spec);
        clock.advance(5);
        asked.clear();
        PeerReconciler.Result steady = PeerReconciler.reconcile(List.of(spec), before, List.of(
                new PeerStats(new WireGuardKey(KEY), Optional.of(clock.now()), 1, 1, Optional.of(GOOD))),
                settings(Duration.ofSeconds(5)), usable, clock.now());
        assertThat(steady.statuses().get(KEY).state()).isEqualTo(PeerState.UP);
        assertThat(asked).as("the route check runs only when a candidate is about to be set").isEmpty();
    }

    @Test
    void aRestartedAgentAdoptsTheLiveSessionInsteadOfResettingTheEndpoint() {
        PeerSpec spec = spec(BAD1, GOOD);
        PeerStats live = new PeerStats(new WireGuardKey(KEY), Optional.of(clock.now().minusSeconds(40)), 5000, 7000,
                Optional.of(GOOD));
        PeerReconciler.Result r = PeerReconciler.reconcile(List.of(spec), Map.of(), List.of(live),
                settings(Duration.ofSeconds(5)), clock.now());
        PeerStatus s = r.statuses().get(KEY);
        assertThat(s.state()).isEqualTo(PeerState.UP);
        assertThat(s.lastUsedEndpoint()).contains(GOOD);
        assertThat(r.desired().wireGuard().peers().get(0).endpoint()).as("what WireGuard has, so nothing changes")
                .contains(GOOD);
        assertThat(r.events()).extracting(AgentEvent::kind).containsExactly(AgentEvent.PEER_UP);
        assertThat(PeerReconciler.probing(r.statuses(), settings(Duration.ofSeconds(5)))).isFalse();

        PeerStats stale = new PeerStats(new WireGuardKey(KEY), Optional.of(clock.now().minusSeconds(300)), 5000, 7000,
                Optional.of(GOOD));
        PeerReconciler.Result fresh = PeerReconciler.reconcile(List.of(spec), Map.of(), List.of(stale),
                settings(Duration.ofSeconds(5)), clock.now());
        assertThat(fresh.desired().wireGuard().peers().get(0).endpoint()).as("an old session is not adopted")
                .contains(BAD1);
        assertThat(PeerReconciler.probing(fresh.statuses(), settings(Duration.ofSeconds(5)))).isTrue();
        assertThat(PeerReconciler.probing(fresh.statuses(), settings(Duration.ZERO))).isFalse();
    }

    @Test
    void harvestReportsOnlyUpPeersUnderTheirAffiliate() {
        PeerSpec up = spec(GOOD);
        PeerSpec joining = new PeerSpec("mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7g=", Optional.empty(),
                List.of(IpPrefix.parse("10.0.0.3/32")), List.of(BAD1), "node-3", "n3");
        NodeEndpoint roamed = NodeEndpoint.parse("198.51.100.4:40001");
        PeerReconciler.Result r = PeerReconciler.reconcile(List.of(up, joining), Map.of(), List.of(
                new PeerStats(new WireGuardKey(KEY), Optional.of(clock.now()), 1, 1, Optional.of(roamed))),
                settings(Duration.ZERO), clock.now());
        assertThat(PeerSpecs.observedEndpoints(List.of(up, joining), r.statuses()))
                .containsExactly(Map.entry("n2", List.of(roamed)));
    }

    private Map<String, PeerStatus> pass(PeerSpec spec) {
        return PeerReconciler.reconcile(List.of(spec), Map.of(), List.of(), settings(Duration.ofSeconds(5)), clock.now())
                .statuses();
    }

    /** One peer driven pass by pass: each pass reports WireGuard's tx counter and last handshake. */
    private final class Peer {
        final PeerSpec spec;
        final Duration interval;
        final List<AgentEvent> events = new ArrayList<>();
        Map<String, PeerStatus> statuses = Map.of();
        Optional<NodeEndpoint> wgEndpoint = Optional.empty();

        Peer(PeerSpec spec, Duration interval) {
            this.spec = spec;
            this.interval = interval;
        }

        /** Returns the endpoint WireGuard has after the pass. */
        Optional<NodeEndpoint> pass(long tx, Optional<Instant> handshake) {
            List<PeerStats> seen = statuses.isEmpty() ? List.of()
                    : List.of(new PeerStats(new WireGuardKey(KEY), handshake, 0, tx, wgEndpoint));
            PeerReconciler.Result r = PeerReconciler.reconcile(List.of(spec), statuses, seen, settings(interval), clock.now());
            statuses = r.statuses();
            events.addAll(r.events());
            Optional<NodeEndpoint> set = r.desired().wireGuard().peers().get(0).endpoint();
            if (set.isPresent()) {
                wgEndpoint = set;
            }
            return wgEndpoint;
        }

        PeerStatus status() {
            return statuses.get(KEY);
        }
    }

    private static PeerSpec spec(NodeEndpoint... candidates) {
        return new PeerSpec(KEY, Optional.of(IpText.parse("fd50::2")), List.of(IpPrefix.parse("10.0.0.2/32")),
                List.of(candidates), "node-2", "n2");
    }

    private static PeerReconciler.Settings settings(Duration probe) {
        LinkConfig link = new LinkConfig("kubespan", PRIVATE, 51820, 0x20, 1420, IpPrefix.parse("fd50::1/64"));
        return new PeerReconciler.Settings(link, Optional.of(PRIVATE), true, probe);
    }
}
