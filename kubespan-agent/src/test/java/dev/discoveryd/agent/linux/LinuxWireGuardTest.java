package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-peer diff that keeps a reconcile down to the peers that changed. */
class LinuxWireGuardTest {
    static final WireGuardKey PUB = WireGuardKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    static final WireGuardKey PSK = new WireGuardKey("8XuV9TZHW08DOk3bVxQjH9ih/TBKjnh+j44tsCLSBzo=");
    static final NodeEndpoint EP = NodeEndpoint.parse("10.200.0.2:51820");
    static final NodeEndpoint ROAMED = NodeEndpoint.parse("192.0.2.7:40000");

    static PeerConfig want(Optional<NodeEndpoint> ep, String... ips) {
        return new PeerConfig(PUB, Optional.of(PSK), PeerConfig.DEFAULT_KEEPALIVE,
                java.util.Arrays.stream(ips).map(IpPrefix::parse).toList(), ep);
    }

    static WgDeviceState.Peer have(Optional<NodeEndpoint> ep, String... ips) {
        return new WgDeviceState.Peer(PUB, Optional.of(PSK), ep, Instant.EPOCH, 0, 0, 25,
                java.util.Arrays.stream(ips).map(IpPrefix::parse).toList());
    }

    @Test
    void anUnchangedPeerSendsNothingWhateverTheOrderOfItsAllowedIps() {
        assertThat(LinuxWireGuard.peerChange(want(Optional.of(EP), "10.200.0.2/32", "fd20::2/128"),
                Optional.of(have(Optional.of(EP), "fd20::2/128", "10.200.0.2/32")))).isEmpty();
    }

    @Test
    void noEndpointWantedKeepsARoamedOne() {
        assertThat(LinuxWireGuard.peerChange(want(Optional.empty(), "10.200.0.2/32"),
                Optional.of(have(Optional.of(ROAMED), "10.200.0.2/32")))).isEmpty();
        WgUpdate.PeerUpdate u = LinuxWireGuard.peerChange(want(Optional.empty(), "10.200.0.3/32"),
                Optional.of(have(Optional.of(ROAMED), "10.200.0.2/32"))).orElseThrow();
        assertThat(u.endpoint()).as("an allowed-IP change does not touch the endpoint").isEmpty();
        assertThat(u.replaceAllowedIps()).contains(List.of(IpPrefix.parse("10.200.0.3/32")));
    }

    @Test
    void aChosenEndpointIsSetAndANewPeerGetsEverything() {
        WgUpdate.PeerUpdate u = LinuxWireGuard.peerChange(want(Optional.of(EP), "10.244.3.1/24"), Optional.empty())
                .orElseThrow();
        assertThat(u.endpoint()).contains(EP);
        assertThat(u.presharedKey()).contains(PSK);
        assertThat(u.keepaliveSeconds()).contains(25);
        assertThat(u.replaceAllowedIps()).as("masked, as WireGuard stores them").contains(
                List.of(IpPrefix.parse("10.244.3.0/24")));
        assertThat(LinuxWireGuard.peerChange(want(Optional.of(EP), "10.200.0.2/32"),
                Optional.of(have(Optional.of(ROAMED), "10.200.0.2/32"))).orElseThrow().endpoint()).contains(EP);
    }
}
