package dev.discoveryd.agent.port;

import java.util.Optional;

/** The packet-marking rules that force traffic to peers into the tunnel. */
public interface Firewall {
    /** Installs exactly {@code desired}, replacing what was there, in one atomic step. Safe to repeat. */
    void apply(FirewallState desired) throws DataPlaneException;

    /** What is installed now in {@code table}, or empty when KubeSpan has nothing there. */
    Optional<FirewallState> installed(String table) throws DataPlaneException;

    /** Removes KubeSpan's chains from {@code table}; a no-op when absent. */
    void tearDown(String table) throws DataPlaneException;
}
