package dev.discoveryd.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.PeerStats;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The manager loop with a hand-moved clock: rotation one candidate per pass, roaming kept, routed set. */
class PeerReconcilerTest {
    private static final String KEY = "NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=";
    private static final WireGuardKey PRIVATE = new WireGuardKey("gNoasoKOJzl+/B+uXhvsBVxv81OcVLrlcmQ5jQwZO08=");
    private static final NodeEndpoint BAD = NodeEndpoint.parse("10.9.9.9:51820");
    private static final NodeEndpoint GOOD = NodeEndpoint.parse("10.0.0.2:51820");
    private static final NodeEndpoint ROAMED = NodeEndpoint.parse("198.51.100.4:40001");

    private final ManualClock clock = new ManualClock();
    private final PeerSpec spec = new PeerSpec(KEY, Optional.of(IpText.parse("fd50::2")),
            List.of(IpPrefix.parse("10.0.0.2/32"), IpPrefix.parse("fd50::2/128")), List.of(BAD, GOOD), "node-2", "n2");

    @Test
    void rotatesPastADeadCandidateAndGoesUp() {
        PeerReconciler.Result r = pass(Map.of(), List.of(), true);
        assertThat(endpointSent(r)).contains(BAD);
        assertThat(r.events()).extracting(AgentEvent::kind).containsExactly(AgentEvent.ENDPOINT_CHANGED);

        clock.advance(30);
        r = pass(r.statuses(), List.of(stats(Optional.of(BAD), Optional.empty())), true);
        assertThat(endpointSent(r)).contains(GOOD);
        assertThat(r.statuses().get(KEY).lastUsedEndpoint()).contains(GOOD);

        clock.advance(5);
        r = pass(r.statuses(), List.of(stats(Optional.of(GOOD), Optional.of(clock.now().minusSeconds(1)))), true);
        assertThat(r.statuses().get(KEY).state()).isEqualTo(PeerState.UP);
        assertThat(r.events()).extracting(AgentEvent::kind).containsExactly(AgentEvent.PEER_UP);
        assertThat(endpointSent(r)).contains(GOOD);
    }

    @Test
    void roamedEndpointIsKeptWhileNotDown() {
        PeerReconciler.Result r = pass(Map.of(), List.of(), true);
        clock.advance(3);
        r = pass(r.statuses(), List.of(stats(Optional.of(ROAMED), Optional.of(clock.now()))), true);
        assertThat(r.statuses().get(KEY).state()).isEqualTo(PeerState.UP);
        assertThat(endpointSent(r)).isEmpty();

        // 300 s without a handshake: down, so rotation resumes after the last used endpoint and overwrites it.
        clock.advance(300);
        r = pass(r.statuses(), List.of(stats(Optional.of(ROAMED), Optional.of(clock.now().minusSeconds(300)))), true);
        assertThat(r.statuses().get(KEY).state()).isEqualTo(PeerState.UNKNOWN);
        assertThat(endpointSent(r)).contains(GOOD);
        assertThat(r.events()).extracting(AgentEvent::kind).contains(AgentEvent.ENDPOINT_CHANGED);
    }

    @Test
    void routedSetLeavesOutKubeSpanUlasAndDownPeersWithoutForcing() {
        PeerSpec ulaSpec = new PeerSpec(KEY, Optional.of(IpText.parse("fd7f:175a:b97c:5602::2")),
                List.of(IpPrefix.parse("10.0.0.2/32"), IpPrefix.parse("fd7f:175a:b97c:5602::2/128")), List.of(GOOD), "n", "n2");
        PeerReconciler.Result forced = PeerReconciler.reconcile(List.of(ulaSpec), Map.of(), List.of(), settings(true), clock.now());
        assertThat(forced.desired().firewall().markedDestinations()).extracting(IpPrefix::toString).containsExactly("10.0.0.2/32");
        assertThat(forced.desired().firewall().mssV4()).isEqualTo(1368);
        assertThat(forced.desired().firewall().mssV6()).isEqualTo(1348);

        PeerReconciler.Result bypass = PeerReconciler.reconcile(List.of(ulaSpec), Map.of(), List.of(), settings(false), clock.now());
        assertThat(bypass.desired().firewall().markedDestinations()).isEmpty();
    }

    @Test
    void peersGetPskKeepaliveAndAllowedIps() {
        PeerConfig peer = pass(Map.of(), List.of(), true).desired().wireGuard().peers().get(0);
        assertThat(peer.presharedKey()).contains(PRIVATE);
        assertThat(peer.keepalive()).hasSeconds(25);
        assertThat(peer.allowedIps()).isEqualTo(spec.allowedIps());
    }

    @Test
    void statusesWithoutSpecAreDropped() {
        PeerReconciler.Result r = pass(Map.of(), List.of(), true);
        assertThat(PeerReconciler.reconcile(List.of(), r.statuses(), List.of(), settings(true), clock.now()).statuses()).isEmpty();
    }

    private PeerReconciler.Result pass(Map<String, PeerStatus> previous, List<PeerStats> observed, boolean force) {
        return PeerReconciler.reconcile(List.of(spec), previous, observed, settings(force), clock.now());
    }

    private static PeerReconciler.Settings settings(boolean force) {
        LinkConfig link = new LinkConfig("kubespan", PRIVATE, 51820, 0x20, 1420, IpPrefix.parse("fd50::1/64"));
        return new PeerReconciler.Settings(link, Optional.of(PRIVATE), force);
    }

    private static Optional<NodeEndpoint> endpointSent(PeerReconciler.Result r) {
        return r.desired().wireGuard().peers().get(0).endpoint();
    }

    private static PeerStats stats(Optional<NodeEndpoint> endpoint, Optional<Instant> handshake) {
        return new PeerStats(new WireGuardKey(KEY), handshake, 100, 200, endpoint);
    }
}
