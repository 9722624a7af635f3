package dev.discoveryd.agent.core;

import dev.discoveryd.agent.port.DataPlaneState;
import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.PeerConfig;
import dev.discoveryd.agent.port.PeerStats;
import dev.discoveryd.agent.port.RoutingState;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.agent.port.WireGuardState;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One pass of Talos's KubeSpan manager (ks/manager.go), as a pure function: fold what WireGuard reports
 * into the peer statuses, rotate endpoints of peers that are down, and say what the data plane must be.
 * Beyond Talos, both optional: probing (a peer that is not up moves to its next candidate once WireGuard has
 * tried the current one for {@code probeInterval}, instead of waiting to be down and for the next tick; the
 * first pick of each round prefers the endpoint that last worked), and a check that refuses candidates (those
 * the kernel would route through the tunnel itself). A status for a peer WireGuard already has a live session
 * with is adopted from WireGuard, so a restarted agent keeps working endpoints.
 */
public final class PeerReconciler {
    private PeerReconciler() {
    }

    /** Settings that do not change between passes; {@code probeInterval} zero = Talos's pace. */
    public record Settings(LinkConfig link, Optional<WireGuardKey> presharedKey, boolean forceRouting,
                           Duration probeInterval) {
        public Settings {
            if (probeInterval.isNegative()) {
                throw new IllegalArgumentException("probeInterval must not be negative");
            }
        }

        public Settings(LinkConfig link, Optional<WireGuardKey> presharedKey, boolean forceRouting) {
            this(link, presharedKey, forceRouting, Duration.ZERO);
        }
    }

    public record Result(Map<String, PeerStatus> statuses, DataPlaneState desired, List<AgentEvent> events) {
        public Result {
            statuses = Map.copyOf(statuses);
            events = List.copyOf(events);
        }
    }

    public static Result reconcile(List<PeerSpec> specs, Map<String, PeerStatus> previous, List<PeerStats> observed,
                                   Settings settings, Instant now) {
        return reconcile(specs, previous, observed, settings, c -> true, now);
    }

    /**
     * {@code usable} is asked only about a candidate about to be set (rarely, so it may do I/O); a rejected one is
     * skipped as if not listed.
     */
    public static Result reconcile(List<PeerSpec> specs, Map<String, PeerStatus> previous, List<PeerStats> observed,
                                   Settings settings, Predicate<NodeEndpoint> usable, Instant now) {
        Map<String, PeerStats> stats = new TreeMap<>();
        observed.forEach(s -> stats.put(s.publicKey().base64(), s));
        Map<String, PeerStatus> next = new TreeMap<>();
        List<PeerConfig> peers = new ArrayList<>();
        List<IpPrefix> routed = new ArrayList<>();
        List<AgentEvent> events = new ArrayList<>();
        for (PeerSpec spec : specs) {
            PeerStatus before = previous.get(spec.publicKey());
            PeerStats seen = stats.get(spec.publicKey());
            PeerStatus status;
            if (before != null) {
                status = before.withLabel(spec.label());
            } else if (seen != null) {
                status = PeerStatus.adopted(spec.publicKey(), spec.label(), seen.endpoint(), seen.lastHandshake(),
                        seen.rxBytes(), seen.txBytes(), now).orElse(PeerStatus.initial(spec.publicKey(), spec.label()));
            } else {
                status = PeerStatus.initial(spec.publicKey(), spec.label());
            }
            if (seen != null) {
                status = status.withObserved(seen.endpoint(), seen.lastHandshake(), seen.rxBytes(), seen.txBytes());
            }
            status = status.withStateAt(now);
            Optional<NodeEndpoint> set = Optional.empty();
            boolean probing = !settings.probeInterval().isZero();
            if (status.shouldChangeEndpoint()) {
                set = probing ? status.pickPreferringLastWorking(spec.endpoints(), usable)
                        : status.pickNewEndpoint(spec.endpoints(), usable);
                if (set.isPresent()) {
                    status = status.withEndpointSet(set.get(), now);
                    events.add(new AgentEvent(now, AgentEvent.ENDPOINT_CHANGED, spec.publicKey(),
                            label(spec) + " endpoint set to " + set.get()));
                }
            } else if (status.shouldProbe(now, settings.probeInterval())) {
                NodeEndpoint current = status.lastUsedEndpoint().orElseThrow();
                set = status.pickNewEndpoint(spec.endpoints(), usable).filter(c -> !c.equals(current));
                if (set.isPresent()) {
                    status = status.withProbe(set.get(), now);
                    events.add(new AgentEvent(now, AgentEvent.ENDPOINT_CHANGED, spec.publicKey(),
                            label(spec) + " endpoint set to " + set.get() + " (probing: no handshake yet)"));
                }
            }
            // Re-assert our endpoint only when WireGuard has none or ours; a different one is roaming: keep it.
            if (set.isEmpty() && status.lastUsedEndpoint().isPresent()
                    && (status.endpoint().isEmpty() || status.endpoint().equals(status.lastUsedEndpoint()))) {
                set = status.lastUsedEndpoint();
            }
            PeerState old = before == null ? PeerState.UNKNOWN : before.state();
            if (status.state() != old && status.state() != PeerState.UNKNOWN) {
                events.add(new AgentEvent(now, status.state() == PeerState.UP ? AgentEvent.PEER_UP : AgentEvent.PEER_DOWN,
                        spec.publicKey(), label(spec) + " is " + status.state().text()));
            }
            next.put(spec.publicKey(), status);
            peers.add(new PeerConfig(new WireGuardKey(spec.publicKey()), settings.presharedKey(),
                    PeerConfig.DEFAULT_KEEPALIVE, spec.allowedIps(), set));
            if (settings.forceRouting() || status.state() == PeerState.UP) {
                spec.allowedIps().stream().filter(p -> !KubeSpanUla.is(p.ip(), KubeSpanUla.KUBESPAN)).forEach(routed::add);
            }
        }
        int mtu = settings.link().mtu();
        DataPlaneState desired = new DataPlaneState(new WireGuardState(settings.link(), peers),
                RoutingState.kubespan(settings.link().name(), mtu),
                FirewallState.kubespan(IpSet.of(routed).prefixes(), mtu));
        return new Result(next, desired, events);
    }

    /** Whether a pass should come sooner than the regular tick: some peer is being probed. */
    public static boolean probing(Map<String, PeerStatus> statuses, Settings settings) {
        return !settings.probeInterval().isZero() && statuses.values().stream()
                .anyMatch(s -> s.state() != PeerState.UP && s.lastUsedEndpoint().isPresent());
    }

    private static String label(PeerSpec spec) {
        return "peer " + (spec.label().isEmpty() ? spec.affiliateId() : spec.label());
    }
}
