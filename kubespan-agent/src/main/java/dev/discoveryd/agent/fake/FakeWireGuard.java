package dev.discoveryd.agent.fake;

import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.PeerStats;
import dev.discoveryd.agent.port.WireGuard;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * WireGuard in memory. Behaves like the real link where the control plane can tell: an endpoint is kept
 * when a peer is set without one, removing the link drops every peer. Tests play the remote side with
 * {@link #handshake} and {@link #roam}.
 */
public final class FakeWireGuard implements WireGuard {
    private LinkConfig link;
    private final Map<WireGuardKey, PeerConfig> peers = new TreeMap<>();
    private final Map<WireGuardKey, PeerStats> stats = new TreeMap<>();
    private int changes;

    @Override
    public synchronized void configure(LinkConfig link) {
        if (!link.equals(this.link)) {
            this.link = link;
            changes++;
        }
    }

    @Override
    public synchronized void setPeers(Collection<PeerConfig> update) {
        requireLink();
        for (PeerConfig peer : update) {
            PeerStats old = stats.getOrDefault(peer.publicKey(), PeerStats.none(peer.publicKey()));
            Optional<NodeEndpoint> endpoint = peer.endpoint().isPresent() ? peer.endpoint() : old.endpoint();
            PeerConfig stored = new PeerConfig(peer.publicKey(), peer.presharedKey(), peer.keepalive(),
                    peer.allowedIps(), endpoint);
            if (!stored.equals(peers.put(peer.publicKey(), stored))) {
                changes++;
            }
            stats.put(peer.publicKey(), new PeerStats(peer.publicKey(), old.lastHandshake(), old.rxBytes(),
                    old.txBytes(), endpoint));
        }
    }

    @Override
    public synchronized void removePeers(Collection<WireGuardKey> publicKeys) {
        for (WireGuardKey key : publicKeys) {
            if (peers.remove(key) != null) {
                changes++;
            }
            stats.remove(key);
        }
    }

    @Override
    public synchronized List<PeerStats> peerStats() {
        return link == null ? List.of() : new ArrayList<>(stats.values());
    }

    @Override
    public synchronized void tearDown(String linkName) {
        if (link == null || !link.name().equals(linkName)) {
            return;
        }
        {
            changes++;
        }
        link = null;
        peers.clear();
        stats.clear();
    }

    /** The remote peer completed a handshake at {@code at} and {@code rx}/{@code tx} more bytes moved. */
    public synchronized void handshake(WireGuardKey peer, Instant at, long rx, long tx) {
        PeerStats old = requirePeer(peer);
        stats.put(peer, new PeerStats(peer, Optional.of(at), old.rxBytes() + rx, old.txBytes() + tx, old.endpoint()));
    }

    /** The remote peer showed up from a new address, as WireGuard roaming does. */
    public synchronized void roam(WireGuardKey peer, NodeEndpoint endpoint) {
        PeerStats old = requirePeer(peer);
        stats.put(peer, new PeerStats(peer, old.lastHandshake(), old.rxBytes(), old.txBytes(), Optional.of(endpoint)));
        PeerConfig config = peers.get(peer);
        peers.put(peer, new PeerConfig(peer, config.presharedKey(), config.keepalive(), config.allowedIps(),
                Optional.of(endpoint)));
    }

    public synchronized Optional<LinkConfig> link() {
        return Optional.ofNullable(link);
    }

    /** The peers as stored, endpoints filled in with what the link uses now. */
    public synchronized Map<WireGuardKey, PeerConfig> peers() {
        return Map.copyOf(peers);
    }

    /** How many calls changed something: repeating a call with the same input must not raise it. */
    public synchronized int changes() {
        return changes;
    }

    private PeerStats requirePeer(WireGuardKey peer) {
        PeerStats old = stats.get(peer);
        if (old == null) {
            throw new IllegalStateException("no such peer " + peer);
        }
        return old;
    }

    private void requireLink() {
        if (link == null) {
            throw new IllegalStateException("peers set before the link was configured");
        }
    }
}
