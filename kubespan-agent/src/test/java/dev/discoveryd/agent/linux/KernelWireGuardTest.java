package dev.discoveryd.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.discoveryd.agent.linux.netns.NetnsLab;
import dev.discoveryd.agent.port.DataPlaneOptions;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.nodeclient.format.IpPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kernel WireGuard: the detection, the refusal where the kernel has none, and the {@code wg}-driven control path.
 * {@code wg} speaks to wireguard-go's socket too, so {@link WgTool} is exercised here against a real device even on a
 * kernel without the module; only {@code ip link add ... type wireguard} itself needs the module.
 */
@Tag("slow")
class KernelWireGuardTest extends MeshTestSupport {

    @Test
    void autoPicksTheKernelOnlyWhenItCanMakeWireGuardLinksAndKernelModeFailsClearlyOtherwise() throws Exception {
        mesh(1);
        MeshNode a = nodes.get(0);
        HostCommands cmd = a.host.commands();
        Optional<String> unsupported = KubeSpanLink.kernelUnsupported(cmd);
        boolean wg = cmd.run(null, "wg", "--version").ok();
        System.out.println("[kernel] kernel WireGuard here: " + unsupported.map(r -> "no (" + r + ")").orElse("yes")
                + ", wg installed: " + wg);
        assertThat(LinuxDataPlaneProvider.useKernel(cmd, "auto")).isEqualTo(unsupported.isEmpty() && wg);
        assertThat(LinuxDataPlaneProvider.useKernel(cmd, "userspace")).isFalse();
        assertThat(LinuxDataPlaneProvider.useKernel(cmd, "kernel")).isTrue();
        assertThat(a.host.sh("ip -o link")).as("the probe link is gone").doesNotContain("ksprobe");

        if (unsupported.isPresent()) {
            KubeSpanLink kernel = new KubeSpanLink(cmd, a.host.wireguardDir(), "wireguard-go",
                    state.resolve("k/wireguard-go.log"), "kubespan", true);
            assertThatThrownBy(() -> kernel.ensure(a.link()))
                    .hasMessageContaining("kernel WireGuard: 'ip link add kubespan type wireguard' failed")
                    .hasMessageContaining(unsupported.get())
                    .hasMessageContaining("set KubeSpanAgentConfig.wireguard to userspace or auto");
            assertThat(kernel.linkExists()).isFalse();
        }
    }

    @Test
    void wgToolConfiguresARealDeviceAsUapiDoesAndLeavesNoKeyFiles() throws Exception {
        NetnsLab.assumeAvailable("wg");
        mesh(3);
        MeshNode a = nodes.get(0);
        MeshNode b = nodes.get(1);
        MeshNode c = nodes.get(2);
        a.plane.wireGuard().configure(a.link()); // wireguard-go up, device settings through UAPI
        Path keys = state.resolve("wg-keys");
        WgTool tool = new WgTool(a.host.commands(), "kubespan", keys);

        WgDeviceState viaTool = tool.get();
        assertThat(viaTool.privateKey()).isEqualTo(a.wg().privateKey()).isPresent();
        assertThat(viaTool.listenPort()).isEqualTo(51820);
        assertThat(viaTool.fwmark()).isEqualTo(0x20);

        tool.set(new WgUpdate(Optional.empty(), Optional.of(51999), Optional.empty(), false, List.of()));
        assertThat(a.wg().listenPort()).isEqualTo(51999);

        List<PeerConfig> want = List.of(a.peerFor(b, psk, Optional.of(b.endpoint())), a.peerFor(c, psk, Optional.empty()));
        tool.set(WgUpdate.peersOnly(want.stream().map(p -> LinuxWireGuard.peerChange(p, Optional.empty()).orElseThrow())
                .toList()));
        WgDeviceState uapi = a.wg();
        assertThat(uapi.peer(b.publicKey)).hasValueSatisfying(p -> {
            assertThat(p.presharedKey()).contains(psk);
            assertThat(p.endpoint()).contains(b.endpoint());
            assertThat(p.keepaliveSeconds()).isEqualTo(25);
            assertThat(p.allowedIps()).containsExactlyInAnyOrderElementsOf(want.get(0).allowedIps());
        });
        assertThat(uapi.peer(c.publicKey).orElseThrow().endpoint()).isEmpty();
        assertThat(settled(tool.get())).as("wg's dump reads the same device as UAPI").isEqualTo(settled(uapi));
        for (PeerConfig p : want) {
            assertThat(LinuxWireGuard.peerChange(p, tool.get().peer(p.publicKey()))).as("nothing left to change").isEmpty();
        }

        PeerConfig narrower = new PeerConfig(b.publicKey, Optional.of(psk), PeerConfig.DEFAULT_KEEPALIVE,
                List.of(IpPrefix.parse(b.host.ipv4() + "/32")), Optional.empty());
        tool.set(WgUpdate.peersOnly(List.of(LinuxWireGuard.peerChange(narrower, tool.get().peer(b.publicKey)).orElseThrow(),
                WgUpdate.PeerUpdate.removal(c.publicKey))));
        WgDeviceState after = a.wg();
        assertThat(after.peer(b.publicKey).orElseThrow().allowedIps()).as("allowed IPs replaced, not appended")
                .containsExactly(IpPrefix.parse(b.host.ipv4() + "/32"));
        assertThat(after.peer(b.publicKey).orElseThrow().endpoint()).as("an endpoint not sent stays").contains(b.endpoint());
        assertThat(after.peer(c.publicKey)).isEmpty();
        try (var files = Files.list(keys)) {
            assertThat(files).as("key files are deleted after each wg call").isEmpty();
        }
    }

    @Test
    void kernelMeshFormsWhereTheKernelHasWireGuard() throws Exception {
        NetnsLab.assumeAvailable("wg");
        mesh(2);
        Optional<String> unsupported = KubeSpanLink.kernelUnsupported(nodes.get(0).host.commands());
        assumeTrue(unsupported.isEmpty(), "this kernel cannot make WireGuard links (" + unsupported.orElse("") + ")");
        for (MeshNode n : nodes) {
            n.plane = LinuxDataPlaneProvider.open(state.resolve("kernel-" + n.host.ipv4()), n.host.commands(),
                    Map.of("KUBESPAN_WG_SOCKET_DIR", n.host.wireguardDir().toString()), new DataPlaneOptions(List.of(), "kernel"));
        }
        long ms = formMesh();
        System.out.printf("[kernel] 2 hosts with kernel WireGuard: full mesh in %d ms%n", ms);
        for (MeshNode n : nodes) {
            assertThat(n.host.sh("ip -d link show kubespan")).contains("wireguard");
        }
    }

    /**
     * What two reads of one device must agree on: its settings and its peers in key order (WireGuard lists its peers
     * in no set order: a CI run got them swapped), without the handshake time and counters that move between reads.
     */
    private static WgDeviceState settled(WgDeviceState s) {
        return new WgDeviceState(s.privateKey(), s.listenPort(), s.fwmark(), s.peers().stream()
                .map(p -> new WgDeviceState.Peer(p.publicKey(), p.presharedKey(), p.endpoint(), Instant.EPOCH, 0, 0,
                        p.keepaliveSeconds(), p.allowedIps()))
                .sorted(Comparator.comparing(WgDeviceState.Peer::publicKey))
                .toList());
    }
}
