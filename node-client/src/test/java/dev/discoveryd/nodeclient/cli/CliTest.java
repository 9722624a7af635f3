package dev.discoveryd.nodeclient.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.nodeclient.fake.FakeDiscoveryServer;
import dev.discoveryd.nodeclient.fake.TestCertificate;
import io.vertx.grpc.common.GrpcStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    static final String CLUSTER = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
    static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String NODE = "7x1SuC8Ege5BGXdAfTEff5iQnlWZLfv9h1LGy3Hg5ke";

    private FakeDiscoveryServer server;

    @BeforeEach
    void start() {
        server = FakeDiscoveryServer.plaintext();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void publishThenListAsJson() throws Exception {
        Result published = cli("publish", "--node-id", NODE, "--hostname", "talos-default-worker-1",
                "--machine-type", "worker", "--address", "172.20.0.5", "--address", "fd83:b1f7:fcb5:2802::5",
                "--wg-endpoint", "172.20.0.5:51820", "--wg-endpoint", "[2001:db8::1]:51820",
                "--kubespan-public-key", "mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7h=", "--ttl", "10m",
                "--kubespan-address", "fd7f:175a:b97c:5602:4f3:b3ff:fe5c:1f2a", "--kubespan-additional-address", "10.244.1.0/24");
        assertThat(published.code).as(published.err).isZero();
        assertThat(published.out).contains("published " + NODE);
        assertThat(server.updates().get(0).getTtl().getSeconds()).isEqualTo(600);
        server.put(CLUSTER, Affiliate.newBuilder().setId("zz-garbage").setData(ByteString.copyFromUtf8("not a sealed blob")).build());

        Result list = cli("list", "-o", "json");
        assertThat(list.code).as(list.err).isZero();
        JsonNode array = new ObjectMapper().readTree(list.out);
        assertThat(array.size()).isEqualTo(2);
        JsonNode node = array.get(0);
        assertThat(node.get("id").asText()).isEqualTo(NODE);
        assertThat(node.get("nodeId").asText()).isEqualTo(NODE);
        assertThat(node.get("hostname").asText()).isEqualTo("talos-default-worker-1");
        assertThat(node.get("nodename").asText()).isEqualTo("talos-default-worker-1");
        assertThat(node.get("machineType").asText()).isEqualTo("worker");
        assertThat(node.get("operatingSystem").asText()).isNotEmpty();
        assertThat(texts(node.get("addresses"))).containsExactly("172.20.0.5", "fd83:b1f7:fcb5:2802::5");
        assertThat(node.get("kubespan").get("publicKey").asText()).isEqualTo("mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7h=");
        assertThat(node.get("kubespan").get("address").asText()).isEqualTo("fd7f:175a:b97c:5602:4f3:b3ff:fe5c:1f2a");
        assertThat(texts(node.get("kubespan").get("additionalAddresses"))).containsExactly("10.244.1.0/24");
        assertThat(texts(node.get("endpoints"))).containsExactly("172.20.0.5:51820", "[2001:db8::1]:51820");
        assertThat(array.get(1).get("id").asText()).isEqualTo("zz-garbage");
        assertThat(array.get(1).get("error").asText()).contains("too short");
    }

    @Test
    void listAsYamlAndTable() throws Exception {
        assertThat(cli("publish", "--node-id", NODE, "--hostname", "h1", "--address", "10.0.0.1").code).isZero();
        Result yaml = cli("list", "-o", "yaml");
        JsonNode parsed = new YAMLMapper().readTree(yaml.out);
        assertThat(parsed.get(0).get("hostname").asText()).isEqualTo("h1");
        assertThat(parsed.get(0).get("kubespan").isNull()).isTrue();
        Result table = cli("list");
        assertThat(table.out.lines().toList()).hasSize(2);
        assertThat(table.out).startsWith("ID").contains(NODE).contains("h1").contains("10.0.0.1");
    }

    @Test
    void wrongSecretShowsErrorsInsteadOfAborting() throws Exception {
        assertThat(cli("publish", "--node-id", NODE, "--hostname", "h1").code).isZero();
        Result list = run("list", "--endpoint", server.url(), "--cluster-id", CLUSTER,
                "--cluster-secret", "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", "-o", "json");
        assertThat(list.code).isZero();
        JsonNode entry = new ObjectMapper().readTree(list.out).get(0);
        assertThat(entry.get("id").asText()).isEqualTo(NODE);
        assertThat(entry.get("error").asText()).contains("authentication");
    }

    @Test
    void watchPrintsChangesUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread watcher = new Thread(() -> code.set(Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()),
                args("watch", "-o", "json"))));
        watcher.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.watchers() == 1);
        assertThat(cli("publish", "--node-id", NODE, "--hostname", "watched").code).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> out.toString().contains("\"added\""));
        server.expire(CLUSTER, NODE);
        await().atMost(5, TimeUnit.SECONDS).until(() -> out.toString().contains("\"removed\""));
        watcher.interrupt();
        watcher.join(Duration.ofSeconds(10).toMillis());
        assertThat(watcher.isAlive()).isFalse();
        assertThat(code.get()).isZero();
        List<String> lines = out.toString().lines().toList();
        JsonNode added = new ObjectMapper().readTree(lines.get(0));
        assertThat(added.get("event").asText()).isEqualTo("added");
        assertThat(added.get("affiliate").get("hostname").asText()).isEqualTo("watched");
        assertThat(new ObjectMapper().readTree(lines.get(1)).get("affiliate").get("id").asText()).isEqualTo(NODE);
    }

    @Test
    void usageErrorsAndUnreachableServers() {
        assertThat(run("list").code).isEqualTo(2);
        assertThat(cli("list", "-o", "xml").code).isEqualTo(2);
        assertThat(cli("publish", "--wg-endpoint", "2001:db8::1:51820").code).isEqualTo(1);
        int port = server.port();
        server.stop();
        Result down = run("list", "--endpoint", "127.0.0.1:" + port, "--insecure", "--cluster-id", CLUSTER, "--cluster-secret", SECRET);
        assertThat(down.code).isEqualTo(1);
        assertThat(down.err).startsWith("error:");
        assertThat(run("--help").out).contains("list", "watch", "publish");
    }

    @Test
    void aClosedPortIsReportedAtOnceWithoutRetrying() {
        int port = server.port();
        server.stop();
        long start = System.nanoTime();
        Result down = run("list", "--endpoint", "127.0.0.1:" + port, "--insecure", "--cluster-id", CLUSTER, "--cluster-secret", SECRET);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(down.code).isEqualTo(1);
        assertThat(down.err.strip()).isEqualTo("error: cannot connect to http://127.0.0.1:" + port + ": connection refused");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anEndpointThatNeverAcceptsGivesUpAfterTheConnectTimeout() throws Exception {
        try (ServerSocket full = fullListener()) {
            long start = System.nanoTime();
            Result stuck = run("publish", "--endpoint", "127.0.0.1:" + full.getLocalPort(), "--insecure",
                    "--cluster-id", CLUSTER, "--cluster-secret", SECRET);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(stuck.code).isEqualTo(1);
            assertThat(stuck.err).startsWith("error: cannot connect to http://127.0.0.1:" + full.getLocalPort() + ": ").contains("timed out");
            // The default --connect-timeout is 3 s; the Hello deadline (10 s) used to bound it.
            assertThat(took).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(8));
        } finally {
            closeQueued();
        }
    }

    @Test
    void aShortConnectTimeoutIsHonoured() throws Exception {
        try (ServerSocket full = fullListener()) {
            long start = System.nanoTime();
            Result stuck = run("list", "--endpoint", "127.0.0.1:" + full.getLocalPort(), "--insecure", "--connect-timeout", "300ms",
                    "--cluster-id", CLUSTER, "--cluster-secret", SECRET);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(stuck.code).isEqualTo(1);
            assertThat(stuck.err.strip()).isEqualTo("error: cannot connect to http://127.0.0.1:" + full.getLocalPort() + ": connect timed out");
            assertThat(took).isBetween(Duration.ofMillis(290), Duration.ofSeconds(2));
        } finally {
            closeQueued();
        }
    }

    private final List<Socket> queued = new ArrayList<>();

    /** A listener whose accept queue is full: the kernel drops further SYNs, as a black-holed host would. */
    private ServerSocket fullListener() throws Exception {
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 300);
                queued.add(s);
            } catch (SocketTimeoutException filled) {
                s.close();
                return full;
            }
        }
        full.close();
        throw new IllegalStateException("the accept queue never filled");
    }

    private void closeQueued() throws Exception {
        for (Socket s : queued) {
            s.close();
        }
        queued.clear();
    }

    @Test
    void theLaunchersTrainingRunSucceedsSilently() {
        Result train = run("train");
        assertThat(train.code).as(train.err).isZero();
        assertThat(train.out).isEmpty();
        assertThat(run("--help").out).doesNotContain("train");
    }

    @Test
    void helloRedirectsAreFollowed() {
        try (FakeDiscoveryServer second = FakeDiscoveryServer.plaintext()) {
            server.redirectTo("127.0.0.1:" + second.port());
            Result published = cli("publish", "--node-id", NODE, "--hostname", "moved");
            assertThat(published.code).as(published.err).isZero();
            assertThat(second.updates()).hasSize(1);
            assertThat(server.updates()).isEmpty();
            assertThat(server.hellos()).isEqualTo(1);
        }
    }

    @Test
    void aStatusFromTheServerIsReportedWithIt() {
        server.failHellosWith(GrpcStatus.UNAVAILABLE);
        Result list = cli("list");
        assertThat(list.code).isEqualTo(1);
        assertThat(list.err).startsWith("error: http://127.0.0.1:" + server.port() + " answered UNAVAILABLE");
    }

    @Test
    void tlsEndpointsWithACaFileOrInsecure(@TempDir Path dir) throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        try (FakeDiscoveryServer tls = FakeDiscoveryServer.tls(cert.serverOptions())) {
            String[] common = {"--cluster-id", CLUSTER, "--cluster-secret", SECRET};
            Result published = run(concat(new String[] {"publish", "--node-id", NODE, "--hostname", "over-tls",
                    "--endpoint", "https://127.0.0.1:" + tls.port(), "--ca-file", cert.pem().toString()}, common));
            assertThat(published.code).as(published.err).isZero();
            Result list = run(concat(new String[] {"list", "-o", "json", "--endpoint", "https://localhost:" + tls.port(),
                    "--insecure"}, common));
            assertThat(list.code).as(list.err).isZero();
            assertThat(new ObjectMapper().readTree(list.out).get(0).get("hostname").asText()).isEqualTo("over-tls");
            Result untrusted = run(concat(new String[] {"list", "--endpoint", "127.0.0.1:" + tls.port()}, common));
            assertThat(untrusted.code).isEqualTo(1);
            assertThat(untrusted.err).startsWith("error: TLS with https://127.0.0.1:" + tls.port() + " failed: ");
        }
    }

    @Test
    void goDurations() {
        assertThat(cli("publish", "--ttl", "1h30m").code).isZero();
        assertThat(server.updates().get(0).getTtl().getSeconds()).isEqualTo(5400);
        assertThat(cli("publish", "--ttl", "ten minutes").code).isEqualTo(2);
    }

    @Test
    void everyPublishFlagReachesTheAffiliate() throws Exception {
        Result published = cli("publish", "--node-id=" + NODE, "--hostname=h", "--nodename", "k8s-h",
                "--machine-type=controlplane", "--operating-system", "Talos (v1.9.0)", "--connect-timeout", "2s", "-v");
        assertThat(published.code).as(published.err).isZero();
        JsonNode node = new ObjectMapper().readTree(cli("list", "--output=json").out).get(0);
        assertThat(node.get("nodename").asText()).isEqualTo("k8s-h");
        assertThat(node.get("machineType").asText()).isEqualTo("controlplane");
        assertThat(node.get("operatingSystem").asText()).isEqualTo("Talos (v1.9.0)");
        assertThat(node.get("kubespan").isNull()).isTrue();
        assertThat(cli("publish", "--connect-timeout", "soon").code).isEqualTo(2);
    }

    private Result cli(String... args) {
        return run(args(args));
    }

    private String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", "127.0.0.1:" + server.port(), "--insecure", "--cluster-id", CLUSTER, "--cluster-secret", SECRET));
        return all.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    record Result(int code, String out, String err) {
    }
}
