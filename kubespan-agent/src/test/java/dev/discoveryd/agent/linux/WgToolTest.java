package dev.discoveryd.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code wg show dump} parsing and {@code wg set} arguments (the kernel WireGuard path). */
class WgToolTest {
    private static final String PRIV = "gNoasoKOJzl+/B+uXhvsBVxv81OcVLrlcmQ5jQwZO08=";
    private static final String PUB = "NzW8oeIH5rJyY5lefD9WRoHWWRr/Q6DwsDjMX+xKjT4=";
    private static final String PEER1 = "mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7g=";
    private static final String PEER2 = "06D9QQOydzKrOL7oeLiqHy9OWE8KtmJzZII2A5/FLFI=";
    private static final String PSK = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @Test
    void parsesADump() throws Exception {
        String dump = String.join("\t", PRIV, PUB, "51820", "0x20") + "\n"
                + String.join("\t", PEER1, PSK, "10.0.0.2:51820", "10.0.0.2/32,fd50::2/128", "1764633600", "1500",
                "2600", "25") + "\n"
                + String.join("\t", PEER2, "(none)", "(none)", "(none)", "0", "0", "0", "off") + "\n";
        WgDeviceState s = WgTool.parseDump(dump);
        assertThat(s.privateKey()).contains(new WireGuardKey(PRIV));
        assertThat(s.listenPort()).isEqualTo(51820);
        assertThat(s.fwmark()).isEqualTo(0x20);
        WgDeviceState.Peer p1 = s.peer(new WireGuardKey(PEER1)).orElseThrow();
        assertThat(p1.presharedKey()).contains(new WireGuardKey(PSK));
        assertThat(p1.endpoint()).contains(NodeEndpoint.parse("10.0.0.2:51820"));
        assertThat(p1.allowedIps()).containsExactly(IpPrefix.parse("10.0.0.2/32"), IpPrefix.parse("fd50::2/128"));
        assertThat(p1.lastHandshake()).isEqualTo(Instant.ofEpochSecond(1764633600));
        assertThat(p1.rxBytes()).isEqualTo(1500);
        assertThat(p1.txBytes()).isEqualTo(2600);
        assertThat(p1.keepaliveSeconds()).isEqualTo(25);
        WgDeviceState.Peer p2 = s.peer(new WireGuardKey(PEER2)).orElseThrow();
        assertThat(p2.presharedKey()).isEmpty();
        assertThat(p2.endpoint()).isEmpty();
        assertThat(p2.allowedIps()).isEmpty();
        assertThat(p2.lastHandshake()).isEqualTo(Instant.EPOCH);
        assertThat(p2.keepaliveSeconds()).isZero();
    }

    @Test
    void aDeviceWithoutKeyOrFwmarkAndAnIpv6Endpoint() throws Exception {
        WgDeviceState s = WgTool.parseDump("(none)\t(none)\t0\toff\n"
                + String.join("\t", PEER1, "(none)", "[fd00::2]:51999", "::/0", "0", "0", "0", "off"));
        assertThat(s.privateKey()).isEmpty();
        assertThat(s.fwmark()).isZero();
        assertThat(s.peers().get(0).endpoint()).contains(NodeEndpoint.parse("[fd00::2]:51999"));
    }

    @Test
    void badOutputIsAnErrorThatShowsTheLine() {
        assertThatThrownBy(() -> WgTool.parseDump("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> WgTool.parseDump(PRIV + "\t" + PUB + "\t51820\n"))
                .hasMessageContaining("3 fields, expected 4");
        assertThatThrownBy(() -> WgTool.parseDump(String.join("\t", PRIV, PUB, "port", "off")))
                .hasMessageContaining("bad 'wg show dump' output");
    }

    @Test
    void setArgumentsNameKeyFilesNeverKeys() {
        WgTool tool = new WgTool(HostCommands.local(), "kubespan", Path.of("/nonexistent"));
        WgUpdate u = new WgUpdate(Optional.of(new WireGuardKey(PRIV)), Optional.of(51821), Optional.of(0x20), false, List.of(
                new WgUpdate.PeerUpdate(new WireGuardKey(PEER1), false, Optional.of(new WireGuardKey(PSK)),
                        Optional.of(NodeEndpoint.parse("10.0.0.2:51820")), Optional.of(25),
                        Optional.of(List.of(IpPrefix.parse("10.0.0.2/32"), IpPrefix.parse("fd50::2/128")))),
                new WgUpdate.PeerUpdate(new WireGuardKey(PEER2), false, Optional.empty(), Optional.empty(), Optional.of(0),
                        Optional.of(List.of())),
                WgUpdate.PeerUpdate.removal(new WireGuardKey(PUB))));
        List<String> argv = tool.arguments(u, k -> Path.of("/keys/" + (k.base64().equals(PRIV) ? "priv" : "psk")));
        assertThat(argv).containsExactly("wg", "set", "kubespan", "private-key", "/keys/priv", "listen-port", "51821",
                "fwmark", "0x20",
                "peer", PEER1, "preshared-key", "/keys/psk", "endpoint", "10.0.0.2:51820", "persistent-keepalive", "25",
                "allowed-ips", "10.0.0.2/32,fd50::2/128",
                "peer", PEER2, "persistent-keepalive", "off", "allowed-ips", "",
                "peer", PUB, "remove");
        assertThat(String.join(" ", argv)).doesNotContain(PRIV).doesNotContain(PSK);
    }
}
