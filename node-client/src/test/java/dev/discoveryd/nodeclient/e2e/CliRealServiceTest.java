package dev.discoveryd.nodeclient.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.nodeclient.cli.Main;
import dev.discoveryd.nodeclient.fake.TestCertificate;
import dev.discoveryd.nodeclient.format.NodeId;
import dev.discoveryd.service.DiscoveryServer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's one-shot commands (its own gRPC client) against the project's real discovery service. */
class CliRealServiceTest {
    private static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @Test
    void publishTwoNodesThenListThemDecrypted() throws Exception {
        String cluster = "cli-real-" + NodeId.generate();
        String a = NodeId.generate();
        String b = NodeId.generate();
        int port;
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--in-memory")) {
            port = server.grpcPort();
            String[] common = {"--endpoint", "127.0.0.1:" + port, "--insecure", "--cluster-id", cluster, "--cluster-secret", SECRET};
            assertThat(cli(common, "publish", "--node-id", a, "--hostname", "real-a", "--address", "10.0.0.1",
                    "--wg-endpoint", "192.0.2.1:51820", "--ttl", "5m").code()).isZero();
            assertThat(cli(common, "publish", "--node-id", b, "--hostname", "real-b", "--machine-type", "controlplane",
                    "--kubespan-public-key", "mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7h=").code()).isZero();
            Result list = cli(common, "list", "-o", "json");
            assertThat(list.code()).as(list.err()).isZero();
            JsonNode array = new ObjectMapper().readTree(list.out());
            List<String> hostnames = new ArrayList<>();
            array.forEach(n -> hostnames.add(n.get("hostname").asText()));
            assertThat(hostnames).containsExactlyInAnyOrder("real-a", "real-b");
            JsonNode first = array.get(0).get("id").asText().equals(a) ? array.get(0) : array.get(1);
            assertThat(first.get("endpoints").get(0).asText()).isEqualTo("192.0.2.1:51820");
            assertThat(first.get("addresses").get(0).asText()).isEqualTo("10.0.0.1");
        }
        long start = System.nanoTime();
        Result down = cli(new String[] {"--endpoint", "127.0.0.1:" + port, "--insecure", "--cluster-id", cluster,
                "--cluster-secret", SECRET}, "list");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err().strip()).isEqualTo("error: cannot connect to http://127.0.0.1:" + port + ": connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void overTlsWithTheServersCertificate(@TempDir Path dir) throws Exception {
        TestCertificate cert = TestCertificate.create(dir);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(cert.keyStore())) {
            store.load(in, cert.password().toCharArray());
        }
        Key key = store.getKey("server", cert.password().toCharArray());
        Path keyPem = dir.resolve("server.key");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        String cluster = "cli-real-tls-" + NodeId.generate();
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--in-memory", "--certificate-path=" + cert.pem(), "--key-path=" + keyPem)) {
            String[] common = {"--endpoint", "https://127.0.0.1:" + server.grpcPort(), "--ca-file", cert.pem().toString(),
                "--cluster-id", cluster, "--cluster-secret", SECRET};
            Result published = cli(common, "publish", "--hostname", "tls-node");
            assertThat(published.code()).as(published.err()).isZero();
            Result list = cli(common, "list");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains("tls-node");
        }
    }

    private static Result cli(String[] common, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(common));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }
}
