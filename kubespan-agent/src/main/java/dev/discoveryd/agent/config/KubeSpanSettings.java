package dev.discoveryd.agent.config;

import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Duration;
import java.util.List;

/**
 * KubeSpan settings (Talos KubeSpanConfig resource). {@code endpointFilters} is null when the config has
 * none: then nothing is filtered. Ours (KubeSpanAgentConfig): {@code listenPort} (Talos always uses 51820),
 * {@code directNetworks} (destinations never forced into the tunnel), {@code endpointProbeInterval} (zero: rotate
 * at Talos's pace) and {@code wireGuard} (auto, kernel or userspace).
 */
public record KubeSpanSettings(boolean enabled, boolean advertiseKubernetesNetworks, boolean allowDownPeerBypass,
                               boolean harvestExtraEndpoints, int mtu, List<String> endpointFilters,
                               List<IpPrefix> excludeAdvertisedNetworks, List<NodeEndpoint> extraEndpoints,
                               int listenPort, List<IpPrefix> directNetworks, Duration endpointProbeInterval,
                               String wireGuard) {
    /** WireGuard's handshake retry interval (REKEY_TIMEOUT): one attempt per candidate. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(5);
    public static final List<String> WIREGUARD_MODES = List.of("auto", "kernel", "userspace");

    public static final KubeSpanSettings DISABLED = new KubeSpanSettings(false, false, false, false,
            LinkConfig.DEFAULT_MTU, null, List.of(), List.of(), LinkConfig.DEFAULT_PORT, List.of(),
            DEFAULT_PROBE_INTERVAL, "auto");

    public KubeSpanSettings {
        endpointFilters = endpointFilters == null ? null : List.copyOf(endpointFilters);
        excludeAdvertisedNetworks = List.copyOf(excludeAdvertisedNetworks);
        extraEndpoints = List.copyOf(extraEndpoints);
        directNetworks = List.copyOf(directNetworks);
        java.util.Objects.requireNonNull(endpointProbeInterval, "endpointProbeInterval");
        if (!WIREGUARD_MODES.contains(wireGuard)) {
            throw new IllegalArgumentException("wireGuard must be one of " + WIREGUARD_MODES);
        }
    }

    public boolean forceRouting() {
        return !allowDownPeerBypass;
    }
}
