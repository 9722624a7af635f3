package dev.discoveryd.nodeclient.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.AffiliateUpdateResponse;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.nodeclient.fake.FakeDiscoveryServer;
import dev.discoveryd.nodeclient.fake.TestCertificate;
import dev.discoveryd.nodeclient.state.ServerAddress;
import io.vertx.grpc.common.GrpcStatus;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's own unary gRPC client against a Vert.x gRPC server (plaintext and TLS): the real wire, both ways. */
class GrpcChannelTest {
    private static final String HELLO = "/sidero.discovery.server.Cluster/Hello";
    private static final String LIST = "/sidero.discovery.server.Cluster/List";
    private static final String UPDATE = "/sidero.discovery.server.Cluster/AffiliateUpdate";
    private static final Dialer.Trust JVM_CAS = new Dialer.Trust(false, null);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static TestCertificate cert;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = TestCertificate.create(dir);
    }

    @Test
    void helloUpdateAndListOnOneConnection() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext();
             GrpcChannel channel = GrpcChannel.connect(new ServerAddress("127.0.0.1", server.port(), false), JVM_CAS, TIMEOUT, TIMEOUT, "test")) {
            HelloResponse hello = channel.call(HELLO, HelloRequest.newBuilder().setClusterId("c").build(), HelloResponse.parser(), TIMEOUT);
            assertThat(hello.getClientIp().toByteArray()).containsExactly(127, 0, 0, 1);
            channel.call(UPDATE, AffiliateUpdateRequest.newBuilder().setClusterId("c").setAffiliateId("a")
                    .setAffiliateData(ByteString.copyFromUtf8("data")).build(), AffiliateUpdateResponse.parser(), TIMEOUT);
            ListResponse list = channel.call(LIST, ListRequest.newBuilder().setClusterId("c").build(), ListResponse.parser(), TIMEOUT);
            assertThat(list.getAffiliatesList()).extracting(Affiliate::getId).containsExactly("a");
            assertThat(list.getAffiliates(0).getData().toStringUtf8()).isEqualTo("data");
            assertThat(server.hellos()).isEqualTo(1);
        }
    }

    @Test
    void aResponseFarBeyondTheDefaultWindowsAndFrameSizeArrivesWhole() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext();
             GrpcChannel channel = GrpcChannel.connect(new ServerAddress("127.0.0.1", server.port(), false), JVM_CAS, TIMEOUT, TIMEOUT, "test")) {
            byte[] blob = new byte[4096];
            for (int i = 0; i < 400; i++) { // about 1.6 MB: many DATA frames, past 64 KiB windows
                blob[0] = (byte) i;
                server.put("big", Affiliate.newBuilder().setId(String.format("a%04d", i)).setData(ByteString.copyFrom(blob)).build());
            }
            // A request body larger than the server's first windows and frame size, too.
            byte[] bigRequest = new byte[200_000];
            channel.call(UPDATE, AffiliateUpdateRequest.newBuilder().setClusterId("big").setAffiliateId("z")
                    .setAffiliateData(ByteString.copyFrom(bigRequest)).build(), AffiliateUpdateResponse.parser(), TIMEOUT);
            ListResponse list = channel.call(LIST, ListRequest.newBuilder().setClusterId("big").build(), ListResponse.parser(), TIMEOUT);
            assertThat(list.getAffiliatesCount()).isEqualTo(401);
            assertThat(list.getAffiliatesList()).filteredOn(a -> a.getId().equals("a0399"))
                    .singleElement().satisfies(a -> assertThat(a.getData().byteAt(0)).isEqualTo((byte) 399));
            assertThat(server.updates().get(0).getAffiliateData().size()).isEqualTo(200_000);
        }
    }

    @Test
    void aStatusFromTheServerCarriesItsCodeAndMessage() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.plaintext();
             GrpcChannel channel = GrpcChannel.connect(new ServerAddress("127.0.0.1", server.port(), false), JVM_CAS, TIMEOUT, TIMEOUT, "test")) {
            server.failHellosWith(GrpcStatus.RESOURCE_EXHAUSTED);
            assertThatThrownBy(() -> channel.call(HELLO, HelloRequest.newBuilder().setClusterId("c").build(), HelloResponse.parser(), TIMEOUT))
                    .isInstanceOfSatisfying(GrpcStatusException.class, e -> assertThat(e.code()).isEqualTo(8))
                    .hasMessageStartingWith("RESOURCE_EXHAUSTED");
            // The connection is still usable after a failed call.
            assertThat(channel.call(LIST, ListRequest.newBuilder().setClusterId("c").build(), ListResponse.parser(), TIMEOUT)
                    .getAffiliatesCount()).isZero();
        }
    }

    @Test
    void grpcMessagesArePercentDecodedUtf8() {
        assertThat(GrpcChannel.percentDecode("caf%C3%A9 at 100%")).isEqualTo("caf\u00e9 at 100%");
        assertThat(GrpcChannel.percentDecode("%zz%4")).isEqualTo("%zz%4");
        assertThat(GrpcChannel.percentDecode("plain")).isEqualTo("plain");
    }

    @Test
    void tlsWithTheServersCaVerifiesTheHostAndNegotiatesH2() throws Exception {
        try (FakeDiscoveryServer server = FakeDiscoveryServer.tls(cert.serverOptions())) {
            Dialer.Trust ca = new Dialer.Trust(false, cert.pem().toString());
            try (GrpcChannel channel = GrpcChannel.connect(new ServerAddress("127.0.0.1", server.port(), true), ca, TIMEOUT, TIMEOUT, "test")) {
                assertThat(channel.call(HELLO, HelloRequest.newBuilder().setClusterId("c").build(), HelloResponse.parser(), TIMEOUT)
                        .getClientIp().size()).isEqualTo(4);
            }
            // The certificate names 127.0.0.1 only: "localhost" does not match it.
            assertThatThrownBy(() -> GrpcChannel.connect(new ServerAddress("localhost", server.port(), true), ca, TIMEOUT, TIMEOUT, "test"))
                    .isInstanceOf(SSLHandshakeException.class);
            // Not trusted by the JVM's CAs.
            assertThatThrownBy(() -> GrpcChannel.connect(new ServerAddress("127.0.0.1", server.port(), true), JVM_CAS, TIMEOUT, TIMEOUT, "test"))
                    .isInstanceOf(SSLHandshakeException.class);
            try (GrpcChannel insecure = GrpcChannel.connect(new ServerAddress("localhost", server.port(), true),
                    new Dialer.Trust(true, null), TIMEOUT, TIMEOUT, "test")) {
                assertThat(insecure.call(LIST, ListRequest.newBuilder().setClusterId("c").build(), ListResponse.parser(), TIMEOUT)
                        .getAffiliatesCount()).isZero();
            }
        }
    }

    @Test
    void aClosedPortFailsAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> GrpcChannel.connect(new ServerAddress("127.0.0.1", port, false), JVM_CAS, TIMEOUT, TIMEOUT, "test"))
                .isInstanceOf(ConnectException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aTlsHandshakeThatNeverCompletesHitsItsTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            // The kernel completes the TCP handshake from the backlog; nobody ever answers the ClientHello.
            assertThatThrownBy(() -> GrpcChannel.connect(new ServerAddress("127.0.0.1", silent.getLocalPort(), true),
                    JVM_CAS, TIMEOUT, Duration.ofMillis(300), "test"))
                    .isInstanceOf(SocketTimeoutException.class).hasMessage("TLS handshake timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        }
    }

    @Test
    void aServerThatNeverAnswersHitsTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    ignored.getInputStream().readAllBytes();
                } catch (Exception done) {
                    // the test closed it
                }
            });
            acceptor.start();
            try (GrpcChannel channel = GrpcChannel.connect(new ServerAddress("127.0.0.1", silent.getLocalPort(), false),
                    JVM_CAS, TIMEOUT, TIMEOUT, "test")) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> channel.call(HELLO, HelloRequest.getDefaultInstance(), HelloResponse.parser(),
                        Duration.ofMillis(300))).isInstanceOf(SocketTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
            }
            acceptor.join(5000);
            assertThat(acceptor.isAlive()).isFalse();
        }
    }
}
