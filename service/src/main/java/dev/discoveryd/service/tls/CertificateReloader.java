package dev.discoveryd.service.tls;

import dev.discoveryd.service.schedule.Scheduler;
import dev.discoveryd.service.schedule.ThreadScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Watches the certificate and key files and, when their contents change to a valid pair, hands it to every TLS
 * listener: new connections get the new certificate, open ones keep theirs. Polls contents rather than relying on
 * file events, which miss the symlink swaps of Kubernetes secrets and cert-manager. An invalid or half-written pair
 * is reported once and ignored; the current certificate stays in use.
 */
public final class CertificateReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final Vertx vertx;
    private final Path certPath;
    private final Path keyPath;
    private final List<HttpServer> servers;
    private final Counter reloaded;
    private final Counter failed;
    private final Scheduler scheduler;
    private volatile CertificatePair current;
    private byte[][] lastRejected; // poll thread only

    public CertificateReloader(Vertx vertx, Path certPath, Path keyPath, List<HttpServer> servers, MeterRegistry meters) {
        this(vertx, certPath, keyPath, servers, meters, new ThreadScheduler("discoveryd-tls-reload"));
    }

    /** Takes {@code scheduler} over (closes it). */
    public CertificateReloader(Vertx vertx, Path certPath, Path keyPath, List<HttpServer> servers, MeterRegistry meters,
                               Scheduler scheduler) {
        this.scheduler = scheduler;
        this.vertx = vertx;
        this.certPath = certPath;
        this.keyPath = keyPath;
        this.servers = servers;
        this.reloaded = Counter.builder("discovery.tls.reloads").tag("result", "success")
                .description("certificate reloads from disk").register(meters);
        this.failed = Counter.builder("discovery.tls.reloads").tag("result", "failure")
                .description("certificate reloads from disk").register(meters);
        Gauge.builder("discovery.tls.certificate.not.after", this, r -> r.current == null ? 0
                        : r.current.leaf().getNotAfter().getTime() / 1000.0).baseUnit("seconds")
                .description("expiry of the served certificate, Unix time").register(meters);
    }

    /** Reads the pair for the first listeners; throws IllegalArgumentException when it is unusable. */
    public CertificatePair load() {
        try {
            current = CertificatePair.parse(vertx, Files.readAllBytes(certPath), Files.readAllBytes(keyPath));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + certPath + " or " + keyPath + ": " + e.getMessage(), e);
        }
        LOG.info("TLS certificate {} valid until {}", current.leaf().getSubjectX500Principal(), current.leaf().getNotAfter());
        return current;
    }

    public void start(Duration every) {
        scheduler.every(every, this::check);
    }

    /** Looks at the files once; reloads when they hold a new valid pair. */
    void check() {
        byte[] cert;
        byte[] key;
        try {
            cert = Files.readAllBytes(certPath);
            key = Files.readAllBytes(keyPath);
        } catch (IOException e) {
            LOG.debug("certificate files not readable right now: {}", e.toString());
            return;
        }
        if (current.sameAs(cert, key) || (lastRejected != null && Arrays.equals(lastRejected[0], cert)
                && Arrays.equals(lastRejected[1], key))) {
            return;
        }
        CertificatePair next;
        try {
            next = CertificatePair.parse(vertx, cert, key);
        } catch (IllegalArgumentException e) {
            lastRejected = new byte[][]{cert, key};
            failed.increment();
            LOG.warn("certificate files changed but cannot be used (keeping the current certificate): {}", e.getMessage());
            return;
        }
        lastRejected = null;
        for (HttpServer server : servers) {
            server.updateSSLOptions(next.sslOptions(), true).onFailure(e ->
                    LOG.warn("a listener did not take the new certificate: {}", e.toString()));
        }
        current = next;
        reloaded.increment();
        LOG.info("TLS certificate reloaded: {} valid until {}", next.leaf().getSubjectX500Principal(), next.leaf().getNotAfter());
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
