package dev.discoveryd.agent.daemon;

import dev.discoveryd.agent.cache.PeerCache;
import dev.discoveryd.agent.config.AgentConfig;
import dev.discoveryd.agent.config.DiscoveryService;
import dev.discoveryd.agent.core.AffiliateChanges;
import dev.discoveryd.agent.core.AffiliateSpec;
import dev.discoveryd.agent.core.AgentEvent;
import dev.discoveryd.agent.core.LocalAffiliate;
import dev.discoveryd.agent.core.LocalKubeSpan;
import dev.discoveryd.agent.core.NodeFacts;
import dev.discoveryd.agent.core.PeerReconciler;
import dev.discoveryd.agent.core.PeerSpec;
import dev.discoveryd.agent.core.PeerSpecs;
import dev.discoveryd.agent.core.PeerState;
import dev.discoveryd.agent.core.PeerStatus;
import dev.discoveryd.agent.core.RegistryMerge;
import dev.discoveryd.agent.core.WireAffiliate;
import dev.discoveryd.agent.identity.KubeSpanIdentity;
import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.DataPlaneException;
import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.PeerStats;
import dev.discoveryd.agent.port.RoutingState;
import dev.discoveryd.agent.port.WireGuardKey;
import dev.discoveryd.agent.resource.ResourceStore;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent. Every piece of state lives on one thread (the agent loop); discovery callbacks and
 * timers only post to it. Each pass: merge registries, build the local affiliate and publish it when it
 * changed, build peer specs, fold WireGuard statistics into peer statuses, apply the data plane, and
 * refresh the resources the CLI reads. Runs every 30 s and after every change.
 */
public final class Agent implements AutoCloseable {
    public static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final String nodeId;
    private final NodeFacts facts;
    private final Optional<KubeSpanIdentity> identity;
    private final DataPlane plane;
    private final Clock clock;
    private final CacheKeeper cache;
    private final Path stateDir;
    private final ResourceStore resources = new ResourceStore();
    private final EventJournal events = new EventJournal();
    private final ResourceWriter writer;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-loop");
        t.setDaemon(true);
        return t;
    });

    private final RawAffiliates raw = new RawAffiliates();
    private final Map<String, InetAddress> publicIps = new TreeMap<>();
    private Map<String, PeerStatus> statuses = Map.of();
    private List<AffiliateSpec> merged = List.of();
    private AffiliateSpec published;
    private Set<String> lastWarnings = Set.of();
    private String lastPlaneError;
    private boolean passQueued;
    private boolean probePassScheduled;
    private final Set<NodeEndpoint> refusedCandidates = new java.util.HashSet<>();
    private DiscoveryLinks links;
    private volatile Instant firstPublished;

    public Agent(AgentConfig config, String nodeId, NodeFacts facts, Optional<KubeSpanIdentity> identity,
                 DataPlane plane, Path stateDir, Clock clock) {
        this.config = config;
        this.nodeId = nodeId;
        this.facts = facts;
        this.identity = identity;
        this.plane = plane;
        this.clock = clock;
        this.stateDir = stateDir;
        this.cache = config.discoveryEnabled()
                ? new CacheKeeper(new PeerCache(stateDir, ClusterSecret.fromBase64(config.clusterSecret()))) : null;
        this.writer = new ResourceWriter(resources, config, nodeId, identity);
    }

    public ResourceStore resources() {
        return resources;
    }

    public EventJournal events() {
        return events;
    }

    /** The node's first address, shown in talosctl's NODE column. */
    public String nodeAddress() {
        return facts.addresses().isEmpty() ? "" : dev.discoveryd.nodeclient.format.IpText.format(facts.addresses().get(0));
    }

    /** When the local affiliate was first handed to the discovery clients (null before). */
    public Instant firstPublished() {
        return firstPublished;
    }

    public void start() throws InterruptedException {
        run(() -> {
            if (cache != null) {
                cache.restore(raw, config.services().stream().map(DiscoveryService::name).collect(Collectors.toSet()),
                        clock.instant());
            }
            if (!config.kubespan().enabled()) {
                tearDownPlane();
            }
            if (config.discoveryEnabled()) {
                links = new DiscoveryLinks(config, nodeId, new LinkListener());
            }
            pass();
        });
        Thread cleanup = new Thread(() -> PublishedServices.reconcile(stateDir, config, nodeId), "ghost-cleanup");
        cleanup.setDaemon(true);
        cleanup.start();
        loop.scheduleWithFixedDelay(this::guardedPass, RECONCILE_INTERVAL.toMillis(), RECONCILE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Graceful stop: the local affiliate is deleted from every service (no TTL ghost), then all is closed. */
    @Override
    public void close() {
        try {
            run(() -> {
                if (links != null) {
                    links.deleteLocal(Duration.ofSeconds(5));
                    links.close();
                    links = null;
                }
                if (cache != null) {
                    cache.save(raw, clock.instant());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownNow();
    }

    /** Asks for a pass soon (tests, and anyone who knows something changed); returns at once. */
    public void reconcileSoon() {
        loop.execute(this::queuePass);
    }

    private void queuePass() {
        if (!passQueued) {
            passQueued = true;
            loop.execute(this::guardedPass);
        }
    }

    private void guardedPass() {
        passQueued = false;
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.error("reconcile pass failed; the next one retries", e);
        }
    }

    private void pass() {
        Instant now = clock.instant();
        raw.expire(now);
        List<AffiliateSpec> nextMerged = RegistryMerge.merge(raw.all()).stream()
                .filter(a -> !a.nodeId().equals(nodeId)).toList();
        AffiliateChanges.between(merged, nextMerged, now).forEach(events::record);
        merged = nextMerged;

        AffiliateSpec local = LocalAffiliate.build(nodeId, facts, localKubeSpan(), new ArrayList<>(new LinkedHashSet<>(publicIps.values())));
        if (links != null && !local.equals(published)) {
            links.publish(WireAffiliate.toInfo(local), local.kubespan().endpoints());
            published = local;
            if (firstPublished == null) {
                firstPublished = clock.instant();
            }
        }

        List<PeerSpec> specs = List.of();
        if (identity.isPresent()) {
            PeerSpecs.Result built = PeerSpecs.build(merged, nodeId);
            specs = built.peers();
            warnOnce(built.warnings(), now);
            PeerReconciler.Settings settings = settings();
            PeerReconciler.Result result = PeerReconciler.reconcile(specs, statuses, observe(), settings,
                    this::usableCandidate, now);
            statuses = result.statuses();
            result.events().forEach(events::record);
            applyPlane(result);
            harvest(specs);
            if (PeerReconciler.probing(statuses, settings)) {
                scheduleProbePass(settings.probeInterval());
            }
        }
        writer.write(local, merged, raw.all(), specs, statuses, now);
        if (cache != null) {
            cache.save(raw, now);
        }
    }

    private Optional<LocalKubeSpan> localKubeSpan() {
        return identity.map(id -> new LocalKubeSpan(id.publicKey().base64(), id.address().ip(),
                config.kubespan().endpointFilters(), config.kubespan().extraEndpoints(),
                config.kubespan().excludeAdvertisedNetworks(), config.kubespan().listenPort()));
    }

    private PeerReconciler.Settings settings() {
        KubeSpanIdentity id = identity.orElseThrow();
        LinkConfig link = new LinkConfig(LinkConfig.DEFAULT_NAME, id.privateKey(), config.kubespan().listenPort(),
                LinkConfig.WIREGUARD_MARK, config.kubespan().mtu(), id.linkAddress());
        return new PeerReconciler.Settings(link, Optional.of(new WireGuardKey(config.clusterSecret())),
                config.kubespan().forceRouting(), config.kubespan().endpointProbeInterval());
    }

    /** One extra pass a probe interval from now (plus a margin, so the interval has passed), at most one pending. */
    private void scheduleProbePass(Duration interval) {
        if (probePassScheduled) {
            return;
        }
        probePassScheduled = true;
        loop.schedule(() -> {
            probePassScheduled = false;
            guardedPass();
        }, interval.toMillis() + 100, TimeUnit.MILLISECONDS);
    }

    /**
     * A candidate is refused when WireGuard's own packets (fwmark 0x20) to it would leave through the KubeSpan link:
     * tunnel inside the tunnel, which cannot work. Asked only when a candidate is about to be set; a failed lookup
     * does not refuse.
     */
    private boolean usableCandidate(NodeEndpoint candidate) {
        Optional<String> device;
        try {
            device = plane.routing().outputDevice(candidate.ip(), LinkConfig.WIREGUARD_MARK);
        } catch (DataPlaneException e) {
            planeError("route lookup for endpoint " + candidate + " failed: " + e.getMessage());
            return true;
        }
        boolean refused = device.map(LinkConfig.DEFAULT_NAME::equals).orElse(false);
        if (refused && refusedCandidates.add(candidate)) {
            events.record(new AgentEvent(clock.instant(), AgentEvent.ENDPOINT_REFUSED, "",
                    "endpoint candidate " + candidate + " is routed through " + LinkConfig.DEFAULT_NAME + "; skipped"));
        } else if (!refused) {
            refusedCandidates.remove(candidate);
        }
        return !refused;
    }

    private List<PeerStats> observe() {
        try {
            return plane.wireGuard().peerStats();
        } catch (DataPlaneException e) {
            planeError("reading WireGuard peers failed: " + e.getMessage());
            return List.of();
        }
    }

    private void applyPlane(PeerReconciler.Result result) {
        try {
            plane.apply(result.desired());
            if (lastPlaneError != null) {
                LOG.info("data plane applied again after: {}", lastPlaneError);
                lastPlaneError = null;
            }
        } catch (DataPlaneException e) {
            planeError("applying the data plane failed: " + e.getMessage());
        }
    }

    private void tearDownPlane() {
        try {
            plane.tearDown(LinkConfig.DEFAULT_NAME, RoutingState.KUBESPAN_TABLE, FirewallState.TALOS_TABLE);
        } catch (DataPlaneException e) {
            LOG.warn("KubeSpan is off but removing its link, routes and rules failed: {}", e.getMessage());
        }
    }

    private void planeError(String message) {
        if (!message.equals(lastPlaneError)) {
            LOG.warn("{}; retrying every pass", message);
            lastPlaneError = message;
        }
    }

    /** harvestExtraEndpoints: the endpoint WireGuard sees for each up peer, reported under its affiliate ID. */
    private void harvest(List<PeerSpec> specs) {
        if (!config.kubespan().harvestExtraEndpoints() || links == null) {
            return;
        }
        links.publishObserved(PeerSpecs.observedEndpoints(specs, statuses));
    }

    private void warnOnce(List<String> warnings, Instant now) {
        Set<String> current = Set.copyOf(warnings);
        for (String w : warnings) {
            if (!lastWarnings.contains(w)) {
                events.record(new AgentEvent(now, AgentEvent.PEER_ADDRESS_OVERLAP, "", w));
            }
        }
        lastWarnings = current;
    }

    private void run(Runnable task) throws InterruptedException {
        try {
            loop.submit(task).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Discovery callbacks (on Vert.x threads): posted to the loop. */
    private final class LinkListener implements DiscoveryLinks.Listener {
        @Override
        public void affiliates(String service, List<DiscoveredAffiliate> affiliates, boolean synced) {
            loop.execute(() -> {
                if (raw.replace(service, affiliates) || !raw.isLive(service)) {
                    queuePass();
                }
            });
        }

        @Override
        public void connected(String service, InetAddress publicIp) {
            loop.execute(() -> {
                events.record(new AgentEvent(clock.instant(), AgentEvent.DISCOVERY_CONNECTED, service,
                        "discovery service " + service + " connected" + (publicIp == null ? "" : ", public IP " + publicIp.getHostAddress())));
                if (publicIp != null && !publicIp.equals(publicIps.put(service, publicIp))) {
                    queuePass();
                }
            });
        }

        @Override
        public void failed(String service, String reason) {
            loop.execute(() -> events.record(new AgentEvent(clock.instant(), AgentEvent.DISCOVERY_FAILED, service,
                    "discovery service " + service + ": " + reason)));
        }
    }
}
