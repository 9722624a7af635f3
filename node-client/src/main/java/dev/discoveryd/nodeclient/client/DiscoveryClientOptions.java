package dev.discoveryd.nodeclient.client;

import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.state.Backoff;
import dev.discoveryd.nodeclient.state.ServerAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Settings of a {@link DiscoveryClient}; defaults follow what Talos nodes use. */
public final class DiscoveryClientOptions {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);
    public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration UPDATE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MIN_KEEPALIVE = Duration.ofSeconds(10);
    public static final String DEFAULT_CLIENT_VERSION = "discoveryd-node-client";

    private final List<ServerAddress> servers = new ArrayList<>();
    private boolean trustAll;
    private String caCertificatePath;
    private String clusterId;
    private ClusterSecret clusterSecret;
    private String affiliateId;
    private Duration ttl = DEFAULT_TTL;
    private String clientVersion = DEFAULT_CLIENT_VERSION;
    private Duration helloTimeout = HELLO_TIMEOUT;
    private Duration updateTimeout = UPDATE_TIMEOUT;
    private Duration connectTimeout;
    private Duration keepaliveInterval;
    private Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** Adds a server by URL ({@code https://host[:port]}, {@code http://host[:port]}) or bare TLS {@code host:port}. */
    public DiscoveryClientOptions addEndpoint(String urlOrHostPort) {
        servers.add(ServerAddress.parse(urlOrHostPort, false));
        return this;
    }

    public DiscoveryClientOptions addServer(ServerAddress server) {
        servers.add(Objects.requireNonNull(server));
        return this;
    }

    /** Accept any server certificate (testing only). */
    public DiscoveryClientOptions setTrustAll(boolean trustAll) {
        this.trustAll = trustAll;
        return this;
    }

    /** PEM file of CA certificates to trust instead of the JVM's default trust store. */
    public DiscoveryClientOptions setCaCertificatePath(String path) {
        this.caCertificatePath = path;
        return this;
    }

    public DiscoveryClientOptions setClusterId(String clusterId) {
        this.clusterId = clusterId;
        return this;
    }

    public DiscoveryClientOptions setClusterSecret(ClusterSecret secret) {
        this.clusterSecret = secret;
        return this;
    }

    /** The local node ID; null for a client that only watches. */
    public DiscoveryClientOptions setAffiliateId(String affiliateId) {
        this.affiliateId = affiliateId;
        return this;
    }

    public DiscoveryClientOptions setTtl(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("TTL must be positive");
        }
        this.ttl = ttl;
        return this;
    }

    public DiscoveryClientOptions setClientVersion(String clientVersion) {
        this.clientVersion = clientVersion;
        return this;
    }

    public DiscoveryClientOptions setHelloTimeout(Duration timeout) {
        this.helloTimeout = timeout;
        return this;
    }

    /** Bounds the TCP (and TLS) connect on its own; by default the Hello timeout bounds it. */
    public DiscoveryClientOptions setConnectTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive");
        }
        this.connectTimeout = timeout;
        return this;
    }

    public DiscoveryClientOptions setUpdateTimeout(Duration timeout) {
        this.updateTimeout = timeout;
        return this;
    }

    /** Overrides the HTTP/2 ping interval, normally max(10 s, TTL/10). */
    public DiscoveryClientOptions setKeepaliveInterval(Duration interval) {
        this.keepaliveInterval = interval;
        return this;
    }

    public DiscoveryClientOptions setBackoff(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff);
        return this;
    }

    void validate() {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one discovery endpoint is required");
        }
        if (clusterId == null || clusterId.isEmpty()) {
            throw new IllegalArgumentException("cluster ID is required");
        }
        Objects.requireNonNull(clusterSecret, "cluster secret is required");
    }

    public List<ServerAddress> servers() {
        return List.copyOf(servers);
    }

    public boolean trustAll() {
        return trustAll;
    }

    public String caCertificatePath() {
        return caCertificatePath;
    }

    public String clusterId() {
        return clusterId;
    }

    public ClusterSecret clusterSecret() {
        return clusterSecret;
    }

    public String affiliateId() {
        return affiliateId;
    }

    public Duration ttl() {
        return ttl;
    }

    public String clientVersion() {
        return clientVersion;
    }

    public Duration helloTimeout() {
        return helloTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout == null ? helloTimeout : connectTimeout;
    }

    public Duration updateTimeout() {
        return updateTimeout;
    }

    public Duration keepaliveInterval() {
        if (keepaliveInterval != null) {
            return keepaliveInterval;
        }
        Duration tenth = ttl.dividedBy(10);
        return tenth.compareTo(MIN_KEEPALIVE) > 0 ? tenth : MIN_KEEPALIVE;
    }

    public Duration refreshInterval() {
        return ttl.dividedBy(2);
    }

    public Backoff backoff() {
        return backoff;
    }
}
