package dev.discoveryd.agent.fake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.DataPlaneState;
import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.RoutingState;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.agent.port.WireGuardState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FakeDataPlaneTest {
    private static final WireGuardKey PRIVATE = key(1);
    private static final WireGuardKey A = key(2);
    private static final WireGuardKey B = key(3);

    private final FakeWireGuard wg = new FakeWireGuard();
    private final FakeRouting routing = new FakeRouting();
    private final FakeFirewall firewall = new FakeFirewall();
    private final DataPlane plane = new DataPlane("fake", wg, routing, firewall);

    @Test
    void applyIsIdempotentAndRemovesPeersNotWanted() throws Exception {
        plane.apply(state(peer(A, "10.0.0.1:51820"), peer(B, "10.0.0.2:51820")));
        int changes = wg.changes() + routing.changes() + firewall.changes();
        plane.apply(state(peer(A, "10.0.0.1:51820"), peer(B, "10.0.0.2:51820")));
        assertThat(wg.changes() + routing.changes() + firewall.changes()).isEqualTo(changes);

        plane.apply(state(peer(A, "10.0.0.1:51820")));
        assertThat(wg.peers()).containsOnlyKeys(A);
    }

    @Test
    void peerSetWithoutEndpointKeepsTheRoamedOne() throws Exception {
        plane.apply(state(peer(A, "10.0.0.1:51820")));
        wg.roam(A, NodeEndpoint.parse("192.0.2.7:40000"));
        wg.handshake(A, Instant.parse("2026-01-01T00:00:00Z"), 100, 200);
        plane.apply(state(peer(A, "10.0.0.1:51820").withoutEndpoint()));
        assertThat(wg.peerStats()).singleElement().satisfies(s -> {
            assertThat(s.endpoint()).contains(NodeEndpoint.parse("192.0.2.7:40000"));
            assertThat(s.rxBytes()).isEqualTo(100);
            assertThat(s.lastHandshake()).isPresent();
        });
    }

    @Test
    void tearDownLeavesNothing() throws Exception {
        plane.apply(state(peer(A, "10.0.0.1:51820")));
        plane.tearDown("kubespan", RoutingState.KUBESPAN_TABLE, FirewallState.TALOS_TABLE);
        assertThat(wg.link()).isEmpty();
        assertThat(wg.peerStats()).isEmpty();
        assertThat(routing.installed(RoutingState.KUBESPAN_TABLE).rules()).isEmpty();
        assertThat(firewall.installed(FirewallState.TALOS_TABLE)).isEmpty();
    }

    @Test
    void keysNeverPrintTheirMaterial() {
        assertThat(PRIVATE.toString()).doesNotContain(PRIVATE.base64());
        assertThat(WireGuardKey.fromHex(PRIVATE.hex())).isEqualTo(PRIVATE);
    }

    private static DataPlaneState state(PeerConfig... peers) {
        LinkConfig link = new LinkConfig("kubespan", PRIVATE, 51820, 0x20, 1420,
                IpPrefix.parse("fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/64"));
        return new DataPlaneState(new WireGuardState(link, List.of(peers)), RoutingState.kubespan("kubespan", 1420),
                FirewallState.kubespan(List.of(IpPrefix.parse("10.0.0.1/32")), 1420));
    }

    private static PeerConfig peer(WireGuardKey key, String endpoint) {
        return new PeerConfig(key, Optional.of(PRIVATE), PeerConfig.DEFAULT_KEEPALIVE,
                List.of(IpPrefix.parse("10.0.0.1/32")), Optional.of(NodeEndpoint.parse(endpoint)));
    }

    private static WireGuardKey key(int fill) {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) fill);
        return WireGuardKey.of(raw);
    }
}
