package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WgUapiTest {
    static final WireGuardKey A = new WireGuardKey("NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=");
    static final WireGuardKey B = new WireGuardKey("06D9QQOydzKrOL7oeLiqHy9OWE8KtmJzZII2A5/FLFI=");

    @TempDir
    Path dir;

    @Test
    void parsesADeviceWithPeersCountersAndEndpoints() throws IOException {
        String answer = "private_key=" + A.hex() + "\nlisten_port=51820\nfwmark=32\n"
                + "public_key=" + B.hex() + "\npreshared_key=" + "00".repeat(32) + "\nprotocol_version=1\n"
                + "endpoint=[fd20:200::2]:51821\nlast_handshake_time_sec=1700000000\nlast_handshake_time_nsec=5\n"
                + "tx_bytes=100\nrx_bytes=200\npersistent_keepalive_interval=25\n"
                + "allowed_ip=10.200.0.2/32\nallowed_ip=fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128\n"
                + "public_key=" + A.hex() + "\nendpoint=10.0.0.9:1\nallowed_ip=10.9.0.0/16\n"
                + "errno=0\n\n";
        try (FakeUapiServer s = new FakeUapiServer(dir.resolve("kubespan.sock"), r -> answer)) {
            WgDeviceState st = new WgUapi(dir.resolve("kubespan.sock")).get();
            assertThat(s.requests).containsExactly("get=1\n\n");
            assertThat(st.privateKey()).contains(A);
            assertThat(st.listenPort()).isEqualTo(51820);
            assertThat(st.fwmark()).isEqualTo(0x20);
            assertThat(st.peers()).hasSize(2);
            WgDeviceState.Peer p = st.peer(B).orElseThrow();
            assertThat(p.presharedKey()).isEmpty(); // all-zero means none
            assertThat(p.endpoint()).contains(NodeEndpoint.parse("[fd20:200::2]:51821"));
            assertThat(p.lastHandshake()).isEqualTo(Instant.ofEpochSecond(1700000000, 5));
            assertThat(p.rxBytes()).isEqualTo(200);
            assertThat(p.txBytes()).isEqualTo(100);
            assertThat(p.keepaliveSeconds()).isEqualTo(25);
            assertThat(p.allowedIps()).extracting(Object::toString)
                    .containsExactly("10.200.0.2/32", "fd7f:175a:b97c:5602:2c1a:b6ff:fe53:8169/128");
            assertThat(st.peer(A).orElseThrow().lastHandshake()).isEqualTo(Instant.EPOCH);
        }
    }

    @Test
    void rendersASetTransactionInProtocolOrder() throws IOException {
        try (FakeUapiServer s = new FakeUapiServer(dir.resolve("kubespan.sock"), r -> "errno=0\n\n")) {
            WgUpdate u = new WgUpdate(Optional.of(A), Optional.of(51820), Optional.of(0x20), false, List.of(
                    new WgUpdate.PeerUpdate(B, false, Optional.of(A),
                            Optional.of(NodeEndpoint.parse("[fd20::1]:5")), Optional.of(25),
                            Optional.of(List.of(IpPrefix.parse("10.1.2.3/32"), IpPrefix.parse("fd00::/64")))),
                    WgUpdate.PeerUpdate.removal(A)));
            new WgUapi(dir.resolve("kubespan.sock")).set(u);
            assertThat(s.requests).containsExactly("set=1\nprivate_key=" + A.hex() + "\nlisten_port=51820\nfwmark=32\n"
                    + "public_key=" + B.hex() + "\npreshared_key=" + A.hex() + "\nendpoint=[fd20::1]:5\n"
                    + "persistent_keepalive_interval=25\nreplace_allowed_ips=true\nallowed_ip=10.1.2.3/32\n"
                    + "allowed_ip=fd00::/64\npublic_key=" + A.hex() + "\nremove=true\n\n");
        }
    }

    @Test
    void aNonZeroErrnoIsAnErrorWithTheErrno() throws IOException {
        try (FakeUapiServer s = new FakeUapiServer(dir.resolve("kubespan.sock"), r -> "errno=98\n\n")) {
            WgUapi c = new WgUapi(dir.resolve("kubespan.sock"));
            assertThatThrownBy(() -> c.set(WgUpdate.peersOnly(List.of(WgUpdate.PeerUpdate.removal(A)))))
                    .isInstanceOfSatisfying(WgUapi.WgException.class, e -> assertThat(e.errno()).isEqualTo(98));
        }
    }

    @Test
    void truncatedOrGarbledAnswersAreErrorsNotPartialStates() throws IOException {
        try (FakeUapiServer s = new FakeUapiServer(dir.resolve("kubespan.sock"), r -> "listen_port=1\n\n")) {
            WgUapi c = new WgUapi(dir.resolve("kubespan.sock"));
            assertThatThrownBy(c::get).isInstanceOf(IOException.class).hasMessageContaining("without errno");
            s.answer(r -> "public_key=zz\nerrno=0\n\n");
            assertThatThrownBy(c::get).isInstanceOf(IOException.class).hasMessageContaining("public_key");
            s.answer(r -> "listen_port=1\n");
            assertThatThrownBy(c::get).isInstanceOf(IOException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void aMissingOrStaleSocketIsNotAlive() throws IOException {
        Path sock = dir.resolve("kubespan.sock");
        assertThat(new WgUapi(sock).isAlive()).isFalse();
        FakeUapiServer s = new FakeUapiServer(sock, r -> "errno=0\n\n");
        assertThat(new WgUapi(sock).isAlive()).isTrue();
        s.close(); // the file stays, nobody listens: a crashed wireguard-go
        assertThat(new WgUapi(sock).isAlive()).isFalse();
    }
}
