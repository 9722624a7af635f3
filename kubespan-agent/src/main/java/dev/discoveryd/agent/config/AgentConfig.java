package dev.discoveryd.agent.config;

import java.util.List;

/**
 * Everything the agent was configured with. Discovery is on when {@code services} is non-empty.
 *
 * @param clusterSecret standard base64 of 32 bytes (it is also the WireGuard preshared key)
 */
public record AgentConfig(String clusterId, String clusterSecret, List<DiscoveryService> services,
                          KubeSpanSettings kubespan, NodeOverrides node) {
    public AgentConfig {
        services = List.copyOf(services);
    }

    public boolean discoveryEnabled() {
        return !services.isEmpty();
    }

    /** Secrets replaced, for logs and {@code get} without the sensitive flag. */
    @Override
    public String toString() {
        return "AgentConfig[clusterId=" + clusterId + ", services=" + services + ", kubespan=" + kubespan
                + ", node=" + node + "]";
    }
}
