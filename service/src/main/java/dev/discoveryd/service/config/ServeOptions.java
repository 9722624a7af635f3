package dev.discoveryd.service.config;

import dev.discoveryd.eventlog.SyncPolicy;
import dev.discoveryd.service.state.QueueLimits;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The service's flags. Reference flags keep their names; picocli accepts them as -flag or --flag, with =value or a
 * separate value.
 */
public final class ServeOptions {
    @Option(names = {"--addr", "-addr"}, defaultValue = ":3000", paramLabel = "ADDR",
            description = "gRPC listen address (default ${DEFAULT-VALUE}); non-gRPC requests get the landing page")
    String addr;

    @Option(names = {"--landing-addr", "-landing-addr"}, defaultValue = ":3001", paramLabel = "ADDR",
            description = "landing/inspect/stats pages listen address, empty disables (default ${DEFAULT-VALUE})")
    String landingAddr;

    @Option(names = {"--metrics-addr", "-metrics-addr"}, defaultValue = ":2122", paramLabel = "ADDR",
            description = "Prometheus metrics listen address, empty disables (default ${DEFAULT-VALUE})")
    String metricsAddr;

    @Option(names = {"--gc-interval", "-gc-interval"}, defaultValue = "1m", paramLabel = "DURATION",
            description = "how often expired affiliates and endpoints are removed (default ${DEFAULT-VALUE})")
    String gcInterval;

    @Option(names = {"--redirect-endpoint", "-redirect-endpoint"}, defaultValue = "", paramLabel = "HOST:PORT",
            description = "tell clients in Hello to use this endpoint instead")
    String redirectEndpoint;

    @Option(names = {"--trust-x-real-ip", "-trust-x-real-ip"}, defaultValue = "true", arity = "0..1", fallbackValue = "true",
            paramLabel = "BOOL", description = "take the client IP from X-Real-IP (default ${DEFAULT-VALUE})")
    boolean trustXRealIp;

    @Option(names = {"--trust-first-x-forwarded-for", "-trust-first-x-forwarded-for"}, defaultValue = "true", arity = "0..1",
            fallbackValue = "true", paramLabel = "BOOL",
            description = "take the client IP from the first X-Forwarded-For entry (default ${DEFAULT-VALUE})")
    boolean trustFirstXForwardedFor;

    @Option(names = {"--debug", "-debug"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "log every request")
    boolean debug;

    @Option(names = {"--certificate-path", "-certificate-path"}, paramLabel = "FILE",
            description = "TLS certificate (PEM); with --key-path turns on TLS")
    Path certificatePath;

    @Option(names = {"--key-path", "-key-path"}, paramLabel = "FILE", description = "TLS private key (PEM)")
    Path keyPath;

    @Option(names = {"--data-dir", "-data-dir"}, defaultValue = "./data", paramLabel = "DIR",
            description = "where the event log, snapshots and the at-rest key live (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = {"--snapshot-path", "-snapshot-path"}, paramLabel = "PATH",
            description = "accepted for compatibility: its directory is used as --data-dir when that is not given")
    Path snapshotPath;

    @Option(names = {"--snapshots-enabled", "-snapshots-enabled"}, defaultValue = "true", arity = "0..1", fallbackValue = "true",
            paramLabel = "BOOL", description = "write snapshots of the state (default ${DEFAULT-VALUE})")
    boolean snapshotsEnabled;

    @Option(names = {"--snapshot-interval", "-snapshot-interval"}, defaultValue = "1m", paramLabel = "DURATION",
            description = "how often a snapshot is written (default ${DEFAULT-VALUE})")
    String snapshotInterval;

    @Option(names = {"--in-memory", "-in-memory"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "keep state in memory only: no event log, no snapshots (lost on restart)")
    boolean inMemory;

    @Option(names = {"--log-sync", "-log-sync"}, defaultValue = "periodic", paramLabel = "always|periodic|never",
            description = "when the event log is synced to disk: before each ack (grouped), every --log-sync-interval,"
                    + " or when the OS decides; a process crash loses nothing acknowledged in any mode (default ${DEFAULT-VALUE})")
    String logSync;

    @Option(names = {"--log-sync-interval", "-log-sync-interval"}, defaultValue = "1s", paramLabel = "DURATION",
            description = "sync interval for --log-sync=periodic (default ${DEFAULT-VALUE})")
    String logSyncInterval;

    @Option(names = {"--log-retention", "-log-retention"}, defaultValue = "168h", paramLabel = "DURATION",
            description = "log files older than this are deleted once a snapshot covers them (default ${DEFAULT-VALUE})")
    String logRetention;

    @Option(names = {"--log-min-free", "-log-min-free"}, defaultValue = "128MiB", paramLabel = "SIZE",
            description = "free disk space the log keeps in reserve: below it, changes are refused with UNAVAILABLE"
                    + " until space is freed; reads go on (default ${DEFAULT-VALUE}; 0 turns the check off)")
    String logMinFree;

    @Option(names = {"--cluster-queue", "-cluster-queue"}, defaultValue = "1024", paramLabel = "N",
            description = "changes one cluster may have waiting for the event log; beyond, UNAVAILABLE (default ${DEFAULT-VALUE})")
    int clusterQueue;

    @Option(names = {"--cluster-queue-bytes", "-cluster-queue-bytes"}, defaultValue = "8MiB", paramLabel = "SIZE",
            description = "memory those waiting changes of one cluster may hold; beyond, UNAVAILABLE (default ${DEFAULT-VALUE})")
    String clusterQueueBytes;

    @Option(names = {"--at-rest-key-file", "-at-rest-key-file"}, paramLabel = "FILE",
            description = "file of at-rest keys, lines of <id>:<base64 32 bytes>, newest last; repeatable."
                    + " Default: generated as <data-dir>/at-rest.key")
    java.util.List<Path> atRestKeyFiles = new java.util.ArrayList<>();

    @Option(names = {"--watch-queue", "-watch-queue"}, defaultValue = "32", paramLabel = "N",
            description = "messages a watcher may fall behind before it is ended with ABORTED (default ${DEFAULT-VALUE})")
    int watchQueue;

    @Option(names = {"--watch-buffer", "-watch-buffer"}, defaultValue = "8MiB", paramLabel = "SIZE",
            description = "unsent bytes one Watch stream may hold, its first snapshot included; beyond, it is ended with"
                    + " RESOURCE_EXHAUSTED (default ${DEFAULT-VALUE})")
    String watchBuffer;

    @Option(names = {"--ip-watch-buffer", "-ip-watch-buffer"}, defaultValue = "32MiB", paramLabel = "SIZE",
            description = "unsent Watch bytes all streams of one client IP may hold together (default ${DEFAULT-VALUE})")
    String ipWatchBuffer;

    @Option(names = {"--watch-buffer-total", "-watch-buffer-total"}, defaultValue = "25%", paramLabel = "SIZE|N%",
            description = "unsent Watch bytes the whole process may hold, or a share of the maximum heap; beyond, the"
                    + " streams holding most are ended first (default ${DEFAULT-VALUE})")
    String watchBufferTotal;

    @Option(names = {"--event-loops", "-event-loops"}, defaultValue = "0", paramLabel = "N",
            description = "event loop threads; 0 means two per core")
    int eventLoops;

    @Option(names = {"--ip-rate-limit", "-ip-rate-limit"}, defaultValue = "15", paramLabel = "PER_SECOND",
            description = "requests per second per client IP, every RPC including opening a Watch; 0 turns limiting off"
                    + " (default ${DEFAULT-VALUE})")
    double ipRateLimit;

    @Option(names = {"--ip-rate-burst", "-ip-rate-burst"}, defaultValue = "60", paramLabel = "N",
            description = "requests a client IP may make at once before waiting for the rate (default ${DEFAULT-VALUE})")
    int ipRateBurst;

    @Option(names = {"--ip-watch-limit", "-ip-watch-limit"}, defaultValue = "4096", paramLabel = "N",
            description = "open Watch streams per client IP; 0 means unlimited (default ${DEFAULT-VALUE})")
    int ipWatchLimit;

    @Option(names = {"--max-message-size", "-max-message-size"}, defaultValue = "65536", paramLabel = "BYTES",
            description = "largest gRPC request message accepted (default ${DEFAULT-VALUE})")
    int maxMessageSize;

    @Option(names = {"--log-format", "-log-format"}, defaultValue = "text", paramLabel = "text|json",
            description = "log lines for people (text) or one JSON object per line for collectors (default ${DEFAULT-VALUE})")
    String logFormat;

    @Option(names = {"--stats-cache", "-stats-cache"}, defaultValue = "1h", paramLabel = "DURATION",
            description = "how long /stats answers are reused (default ${DEFAULT-VALUE})")
    String statsCache;

    @Option(names = "--log", defaultValue = "chronicle", paramLabel = "chronicle|kafka",
            description = "where changes are logged: chronicle (this machine's disk, one instance) or kafka (a"
                    + " replicated log shared by many instances, clusters sharded among them) (default ${DEFAULT-VALUE})")
    String log;

    @Option(names = "--kafka-bootstrap", defaultValue = "", paramLabel = "HOST:PORT[,...]",
            description = "with --log=kafka: the brokers to connect to")
    String kafkaBootstrap;

    @Option(names = "--kafka-topic", defaultValue = "discoveryd-events", paramLabel = "NAME",
            description = "with --log=kafka: the log's topic, created when missing (default ${DEFAULT-VALUE})")
    String kafkaTopic;

    @Option(names = "--kafka-partitions", defaultValue = "48", paramLabel = "N",
            description = "with --log=kafka: shards of clusters, fixed for the topic's life (default ${DEFAULT-VALUE})")
    int kafkaPartitions;

    @Option(names = "--kafka-replication-factor", defaultValue = "3", paramLabel = "N",
            description = "with --log=kafka: replicas of each partition (default ${DEFAULT-VALUE})")
    short kafkaReplicationFactor;

    @Option(names = "--kafka-min-insync-replicas", defaultValue = "2", paramLabel = "N",
            description = "with --log=kafka: replicas that hold a change before it is acknowledged (default ${DEFAULT-VALUE})")
    int kafkaMinInsync;

    @Option(names = "--kafka-group", defaultValue = "discoveryd", paramLabel = "NAME",
            description = "with --log=kafka: the consumer group whose assignment decides which instance serves which"
                    + " partition (default ${DEFAULT-VALUE})")
    String kafkaGroup;

    @Option(names = "--advertise-endpoint", defaultValue = "", paramLabel = "HOST:PORT",
            description = "with --log=kafka: where clients reach this instance; the others redirect Hello here")
    String advertiseEndpoint;

    @Option(names = "--instance-id", defaultValue = "", paramLabel = "NAME",
            description = "with --log=kafka: this instance's name in logs and ownership claims (default: the"
                    + " advertised endpoint)")
    String instanceId;

    @Option(names = {"--tls-reload-interval", "-tls-reload-interval"}, defaultValue = "5s", paramLabel = "DURATION",
            description = "how often the certificate and key files are checked for changes (default ${DEFAULT-VALUE})")
    String tlsReloadInterval;

    private static SyncPolicy syncPolicy(String text) {
        try {
            return SyncPolicy.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--log-sync must be always, periodic or never, not \"" + text + "\"");
        }
    }

    public OpsConfig toOpsConfig() {
        return new OpsConfig(ipRateLimit, ipRateBurst, ipWatchLimit, maxMessageSize, logFormat.trim().toLowerCase(java.util.Locale.ROOT),
                GoDuration.parse(statsCache), GoDuration.parse(tlsReloadInterval), ByteSize.parse(watchBuffer),
                ByteSize.parse(ipWatchBuffer), sizeOrShareOfHeap(watchBufferTotal));
    }

    private static long sizeOrShareOfHeap(String text) {
        String t = text.strip();
        if (t.endsWith("%")) {
            int percent = Integer.parseInt(t.substring(0, t.length() - 1).strip());
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("--watch-buffer-total must be a size or 1%..100% of the heap");
            }
            return OpsConfig.shareOfHeap(percent);
        }
        return ByteSize.parse(t);
    }

    public ServerConfig toConfig() {
        Path dir = dataDir;
        if (snapshotPath != null && "./data".equals(String.valueOf(dataDir))) {
            Path parent = snapshotPath.toAbsolutePath().getParent();
            dir = parent != null ? parent : dataDir;
        }
        int loops = eventLoops > 0 ? eventLoops : 2 * Runtime.getRuntime().availableProcessors();
        return new ServerConfig(
                ListenAddress.parse(addr),
                ListenAddress.parse(landingAddr),
                ListenAddress.parse(metricsAddr),
                GoDuration.parse(gcInterval),
                redirectEndpoint == null || redirectEndpoint.isBlank() ? null : redirectEndpoint.trim(),
                trustXRealIp,
                trustFirstXForwardedFor,
                debug,
                certificatePath,
                keyPath,
                watchQueue,
                loops,
                new PersistenceConfig(dir, inMemory, syncPolicy(logSync), GoDuration.parse(logSyncInterval),
                        GoDuration.parse(logRetention), atRestKeyFiles, snapshotsEnabled, GoDuration.parse(snapshotInterval),
                        ByteSize.parse(logMinFree), new QueueLimits(clusterQueue, ByteSize.parse(clusterQueueBytes))),
                scaleOut());
    }

    private dev.discoveryd.service.scaleout.ScaleOutConfig scaleOut() {
        String kind = log == null ? "chronicle" : log.trim().toLowerCase(java.util.Locale.ROOT);
        if ("chronicle".equals(kind)) {
            return null;
        }
        if (!"kafka".equals(kind)) {
            throw new IllegalArgumentException("--log must be chronicle or kafka, not \"" + log + "\"");
        }
        if (inMemory) {
            throw new IllegalArgumentException("--log=kafka and --in-memory exclude each other");
        }
        if (atRestKeyFiles.isEmpty()) {
            throw new IllegalArgumentException("--log=kafka needs --at-rest-key-file: every instance must read the"
                    + " others' partitions, so all share the same keys");
        }
        return new dev.discoveryd.service.scaleout.ScaleOutConfig(kafkaBootstrap.trim(), kafkaTopic.trim(),
                kafkaPartitions, kafkaReplicationFactor, kafkaMinInsync, kafkaGroup.trim(), advertiseEndpoint.trim(),
                instanceId.trim());
    }
}
