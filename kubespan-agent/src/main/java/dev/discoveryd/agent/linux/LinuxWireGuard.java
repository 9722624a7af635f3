package dev.discoveryd.agent.linux;

import dev.discoveryd.agent.port.DataPlaneException;
import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.PeerStats;
import dev.discoveryd.agent.port.WireGuard;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.agent.port.WireGuardState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The WireGuard port on Linux: wireguard-go through its UAPI socket, or the kernel's WireGuard through {@code wg}.
 * A reconcile is one {@code get} and, only when something differs, one {@code set} carrying just the peers that
 * changed; in userspace mode no process is started per call, in kernel mode one {@code wg show dump} is.
 */
public final class LinuxWireGuard implements WireGuard {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxWireGuard.class);

    private final Function<String, KubeSpanLink> links;
    private volatile KubeSpanLink link;
    private volatile boolean reversePathChecked;

    /** {@code links} makes the link object for a name (socket directory, wireguard-go binary, command prefix). */
    public LinuxWireGuard(Function<String, KubeSpanLink> links) {
        this.links = links;
    }

    @Override
    public void configure(LinkConfig config) throws DataPlaneException {
        try {
            KubeSpanLink l = link(config.name());
            if (l.ensure(config) || !reversePathChecked) {
                // once per process and whenever the link is new (the kernel starts its conf.kubespan afresh)
                l.relaxReversePathFilter();
                reversePathChecked = true;
            }
        } catch (IOException e) {
            throw new DataPlaneException("WireGuard link " + config.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void setPeers(Collection<PeerConfig> peers) throws DataPlaneException {
        KubeSpanLink l = current();
        try {
            WgDeviceState st = l.control().get();
            List<WgUpdate.PeerUpdate> changes = new ArrayList<>();
            for (PeerConfig p : peers) {
                peerChange(p, st.peer(p.publicKey())).ifPresent(changes::add);
            }
            send(l, changes);
        } catch (IOException e) {
            throw new DataPlaneException("WireGuard peers: " + e.getMessage(), e);
        }
    }

    @Override
    public void removePeers(Collection<WireGuardKey> publicKeys) throws DataPlaneException {
        KubeSpanLink l = current();
        try {
            send(l, publicKeys.stream().map(WgUpdate.PeerUpdate::removal).toList());
        } catch (IOException e) {
            throw new DataPlaneException("WireGuard peers: " + e.getMessage(), e);
        }
    }

    /** One get and at most one set for the whole desired state. */
    @Override
    public void apply(WireGuardState desired) throws DataPlaneException {
        configure(desired.link());
        KubeSpanLink l = current();
        try {
            WgDeviceState st = l.control().get();
            Set<WireGuardKey> wanted = new HashSet<>();
            List<WgUpdate.PeerUpdate> changes = new ArrayList<>();
            for (PeerConfig p : desired.peers()) {
                wanted.add(p.publicKey());
                peerChange(p, st.peer(p.publicKey())).ifPresent(changes::add);
            }
            for (WgDeviceState.Peer have : st.peers()) {
                if (!wanted.contains(have.publicKey())) {
                    changes.add(WgUpdate.PeerUpdate.removal(have.publicKey()));
                }
            }
            send(l, changes);
        } catch (IOException e) {
            throw new DataPlaneException("WireGuard peers: " + e.getMessage(), e);
        }
    }

    @Override
    public List<PeerStats> peerStats() throws DataPlaneException {
        // before the first configure (a new process) read the link a previous run left: its sessions are adopted
        KubeSpanLink l = link != null ? link : link(LinkConfig.DEFAULT_NAME);
        try {
            if (!l.control().isAlive()) {
                return List.of();
            }
            List<PeerStats> out = new ArrayList<>();
            for (WgDeviceState.Peer p : l.control().get().peers()) {
                Optional<Instant> hs = p.lastHandshake().equals(Instant.EPOCH) ? Optional.empty()
                        : Optional.of(p.lastHandshake());
                out.add(new PeerStats(p.publicKey(), hs, p.rxBytes(), p.txBytes(), p.endpoint()));
            }
            return out;
        } catch (IOException e) {
            throw new DataPlaneException("WireGuard statistics: " + e.getMessage(), e);
        }
    }

    @Override
    public void tearDown(String linkName) throws DataPlaneException {
        try {
            link(linkName).remove();
        } catch (IOException e) {
            throw new DataPlaneException("WireGuard link " + linkName + ": " + e.getMessage(), e);
        }
    }

    /** What must be sent so that the device's peer matches {@code want}; empty when it already does. */
    static Optional<WgUpdate.PeerUpdate> peerChange(PeerConfig want, Optional<WgDeviceState.Peer> have) {
        int keepalive = (int) want.keepalive().toSeconds();
        boolean ipsSame = have.isPresent()
                && new HashSet<>(have.get().allowedIps()).equals(new HashSet<>(canonical(want.allowedIps())));
        boolean pskSame = have.isPresent() && have.get().presharedKey().equals(want.presharedKey());
        boolean keepSame = have.isPresent() && have.get().keepaliveSeconds() == keepalive;
        boolean endpointSame = want.endpoint().isEmpty() || (have.isPresent() && have.get().endpoint().equals(want.endpoint()));
        if (ipsSame && pskSame && keepSame && endpointSame) {
            return Optional.empty();
        }
        Optional<WireGuardKey> psk = want.presharedKey().isPresent() ? want.presharedKey()
                : Optional.of(WireGuardKey.of(new byte[32])); // all zeros removes a PSK
        return Optional.of(new WgUpdate.PeerUpdate(want.publicKey(), false, psk,
                endpointSame ? Optional.empty() : want.endpoint(), Optional.of(keepalive),
                Optional.of(canonical(want.allowedIps()))));
    }

    /** WireGuard stores allowed IPs masked; compare and send them that way. */
    private static List<IpPrefix> canonical(List<IpPrefix> ips) {
        return ips.stream().map(p -> PrefixSet.minimal(List.of(p)).get(0)).toList();
    }

    private void send(KubeSpanLink l, List<WgUpdate.PeerUpdate> changes) throws IOException {
        if (changes.isEmpty()) {
            return;
        }
        l.control().set(WgUpdate.peersOnly(changes));
        long removed = changes.stream().filter(WgUpdate.PeerUpdate::remove).count();
        long endpoints = changes.stream().filter(c -> c.endpoint().isPresent()).count();
        LOG.debug("WireGuard: {} peers set, {} removed, {} endpoints changed", changes.size() - removed, removed,
                endpoints);
    }

    private KubeSpanLink link(String name) {
        KubeSpanLink l = link;
        if (l == null || !l.name().equals(name)) {
            l = links.apply(name);
            link = l;
        }
        return l;
    }

    private KubeSpanLink current() throws DataPlaneException {
        KubeSpanLink l = link;
        if (l == null) {
            throw new DataPlaneException("WireGuard link not configured yet");
        }
        return l;
    }
}
