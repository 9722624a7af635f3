package dev.discoveryd.service.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the service is configured with; built from the command line by {@link ServeOptions}.
 *
 * @param grpc            the gRPC listener (also serves the landing pages for non-gRPC requests)
 * @param landing         the landing-page listener, or null when disabled
 * @param metrics         the metrics listener, or null when disabled
 * @param watchQueue      messages a watcher may have queued before it is aborted
 * @param eventLoops      Vert.x event loops (and gRPC server instances)
 * @param scaleOut        {@code --log=kafka}: clusters shared with other instances over Kafka, or null (one instance)
 */
public record ServerConfig(
        ListenAddress grpc,
        ListenAddress landing,
        ListenAddress metrics,
        Duration gcInterval,
        String redirectEndpoint,
        boolean trustXRealIp,
        boolean trustFirstXForwardedFor,
        boolean debug,
        Path certificatePath,
        Path keyPath,
        int watchQueue,
        int eventLoops,
        PersistenceConfig persistence,
        dev.discoveryd.service.scaleout.ScaleOutConfig scaleOut) {

    /** One instance, its own local log. */
    public ServerConfig(ListenAddress grpc, ListenAddress landing, ListenAddress metrics, Duration gcInterval,
                        String redirectEndpoint, boolean trustXRealIp, boolean trustFirstXForwardedFor, boolean debug,
                        Path certificatePath, Path keyPath, int watchQueue, int eventLoops,
                        PersistenceConfig persistence) {
        this(grpc, landing, metrics, gcInterval, redirectEndpoint, trustXRealIp, trustFirstXForwardedFor, debug,
                certificatePath, keyPath, watchQueue, eventLoops, persistence, null);
    }

    public ServerConfig {
        if (gcInterval.isNegative() || gcInterval.isZero()) {
            throw new IllegalArgumentException("--gc-interval must be positive");
        }
        if (watchQueue < 1) {
            throw new IllegalArgumentException("--watch-queue must be at least 1");
        }
        if ((certificatePath == null) != (keyPath == null)) {
            throw new IllegalArgumentException("--certificate-path and --key-path go together");
        }
    }

    public boolean tls() {
        return certificatePath != null;
    }
}
