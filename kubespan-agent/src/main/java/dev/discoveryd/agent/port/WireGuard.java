package dev.discoveryd.agent.port;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The WireGuard link and its peers. Implementations: an in-memory fake, and (issue 12) Linux through
 * the kernel or wireguard-go's configuration socket. Every method is safe to repeat.
 */
public interface WireGuard {
    /** Creates the link if missing, else brings its settings to {@code link}; the link is up afterwards. */
    void configure(LinkConfig link) throws DataPlaneException;

    /** Adds or updates these peers (allowed IPs replaced); peers not named are left alone. */
    void setPeers(Collection<PeerConfig> peers) throws DataPlaneException;

    /** Removes these peers; unknown keys are ignored. */
    void removePeers(Collection<WireGuardKey> publicKeys) throws DataPlaneException;

    /** Current statistics of every peer on the link; empty when the link does not exist. */
    List<PeerStats> peerStats() throws DataPlaneException;

    /** Removes the link {@code linkName} (and with it every peer); a no-op when it does not exist. */
    void tearDown(String linkName) throws DataPlaneException;

    /**
     * Brings the link to exactly {@code desired}: configure, drop peers not wanted, set the rest.
     * Adapters may override it with something cheaper, keeping the result.
     */
    default void apply(WireGuardState desired) throws DataPlaneException {
        configure(desired.link());
        Set<WireGuardKey> wanted = desired.peers().stream().map(PeerConfig::publicKey).collect(Collectors.toSet());
        List<WireGuardKey> extra = peerStats().stream().map(PeerStats::publicKey)
                .filter(key -> !wanted.contains(key)).toList();
        if (!extra.isEmpty()) {
            removePeers(extra);
        }
        setPeers(desired.peers());
    }
}
