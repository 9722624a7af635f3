package dev.discoveryd.service.ops;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** TLS on the gRPC port: h2 by ALPN, TLS 1.2+, and certificate rotation on disk without a restart or dropped streams. */
class TlsEndToEndTest {
    private static final HelloRequest HELLO = HelloRequest.newBuilder().setClusterId("tls").build();

    @TempDir
    Path dir;

    private DiscoveryServer start(Path cert, Path key) throws Exception {
        return DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--in-memory",
                "--event-loops=2", "--certificate-path=" + cert, "--key-path=" + key, "--tls-reload-interval=100ms");
    }

    private static double reloads(DiscoveryServer server, String result) {
        return server.ops().meters().get("discovery.tls.reloads").tag("result", result).counter().count();
    }

    @Test
    void servesGrpcOverTls12And13WithH2() throws Exception {
        TestCertificates.Issued rsa = TestCertificates.rsa("rsa-pkcs1");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.writeString(cert, TestCertificates.pem(rsa.certificate()));
        Files.writeString(key, TestCertificates.pem(rsa.keys().getPrivate()));
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        try (DiscoveryServer server = start(cert, key); GrpcCaller client = new GrpcCaller(server.grpcPort(), true)) {
            assertThat(client.call(ClusterGrpcClient.Hello, HELLO).status()).isEqualTo(GrpcStatus.OK);
            TlsProbe.Handshake h = TlsProbe.connect(server.grpcPort());
            assertThat(h.alpn()).isEqualTo("h2");
            assertThat(h.protocol()).isEqualTo("TLSv1.3");
            assertThat(h.serial()).isEqualTo(rsa.serial());
            assertThat(TlsProbe.connect(server.grpcPort(), "TLSv1.2").protocol()).isEqualTo("TLSv1.2");
            PromText metrics = new PromText(server.ops().meters() instanceof io.micrometer.prometheusmetrics.PrometheusMeterRegistry p
                    ? p.scrape() : "");
            assertThat(metrics.value("discovery_tls_certificate_not_after_seconds"))
                    .isEqualTo(rsa.certificate().getNotAfter().getTime() / 1000.0);
            try (GrpcCaller plaintext = new GrpcCaller(server.grpcPort(), false)) {
                assertThatThrownBy(() -> plaintext.call(ClusterGrpcClient.Hello, HELLO)).as("no h2c beside TLS")
                        .isInstanceOf(AssertionError.class);
            }
        }
    }

    @Test
    void rotatedCertificateIsUsedForNewConnectionsWhileOpenStreamsKeepGoing() throws Exception {
        TestCertificates.Issued first = TestCertificates.rsa("first");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.writeString(cert, TestCertificates.pem(first.certificate()));
        Files.writeString(key, TestCertificates.pkcs8(first.keys().getPrivate()));
        try (DiscoveryServer server = start(cert, key); GrpcCaller old = new GrpcCaller(server.grpcPort(), true)) {
            GrpcCaller.Watch watch = old.watch("rotate", Map.of(), 0);
            assertThat(watch.next().getAffiliatesCount()).isZero();
            assertThat(TlsProbe.connect(server.grpcPort()).serial()).isEqualTo(first.serial());

            TestCertificates.Issued second = TestCertificates.ec("second");
            TestCertificates.replace(key, TestCertificates.sec1(second.keys()));
            TestCertificates.replace(cert, TestCertificates.pem(second.certificate()));
            assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");
            await().untilAsserted(() -> assertThat(TlsProbe.connect(server.grpcPort()).serial()).isEqualTo(second.serial()));
            assertThat(reloads(server, "success")).isEqualTo(1);

            // A new connection (EC certificate, h2) publishes; the stream opened before the rotation still hears it.
            try (GrpcCaller fresh = new GrpcCaller(server.grpcPort(), true)) {
                assertThat(fresh.call(ClusterGrpcClient.AffiliateUpdate, MetricsEndToEndTest.update("rotate", "n1", 1, 60))
                        .status()).isEqualTo(GrpcStatus.OK);
            }
            WatchResponse update = watch.next();
            assertThat(update.getAffiliates(0).getId()).isEqualTo("n1");
            assertThat(watch.status).isNotDone();
        }
    }

    @Test
    void aPairThatDoesNotMatchIsIgnoredAndTheCurrentCertificateStays() throws Exception {
        TestCertificates.Issued first = TestCertificates.ec("first");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.writeString(cert, TestCertificates.pem(first.certificate()));
        Files.writeString(key, TestCertificates.pkcs8(first.keys().getPrivate()));
        try (DiscoveryServer server = start(cert, key)) {
            TestCertificates.Issued stranger = TestCertificates.ec("stranger");
            TestCertificates.replace(cert, TestCertificates.pem(stranger.certificate()));
            await().until(() -> reloads(server, "failure") >= 1);
            assertThat(TlsProbe.connect(server.grpcPort()).serial()).isEqualTo(first.serial());

            TestCertificates.replace(cert, "not a certificate");
            await().until(() -> reloads(server, "failure") >= 2);
            assertThat(TlsProbe.connect(server.grpcPort()).serial()).isEqualTo(first.serial());
            assertThat(reloads(server, "success")).isZero();
        }
    }

    @Test
    void anUnusableCertificateStopsStartUpWithAClearMessage() throws Exception {
        TestCertificates.Issued a = TestCertificates.rsa("a");
        TestCertificates.Issued b = TestCertificates.rsa("b");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.writeString(cert, TestCertificates.pem(a.certificate()));
        Files.writeString(key, TestCertificates.pkcs8(b.keys().getPrivate()));
        assertThatThrownBy(() -> start(cert, key)).hasMessageContaining("does not belong to the certificate");
    }
}
