package dev.discoveryd.service.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.discoveryd.nodeclient.format.AffiliateInfo;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import dev.discoveryd.nodeclient.format.ClusterSecret;
import dev.discoveryd.nodeclient.format.IpPrefix;
import dev.discoveryd.nodeclient.format.IpText;
import dev.discoveryd.nodeclient.format.KubeSpanInfo;
import dev.discoveryd.nodeclient.format.NodeEndpoint;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.persistence.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster owner's audit on real data directories: decoded history and dumps with the cluster secret (from a file),
 * a wrong secret, and truncation found by `log verify` and at start-up through the head the snapshot recorded.
 */
class AuditCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode VECTORS = vectors();
    private static final String SECRET_B64 = VECTORS.get("cluster_secret_b64").asText();
    private static final ClusterSecret SECRET = ClusterSecret.fromBase64(SECRET_B64);
    private static final String CLUSTER = "audit-cluster";
    private static final String NODE = "node-a";

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    private static DiscoveryServer start(Path dataDir) throws Exception {
        return DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--ip-rate-limit=0",
                "--data-dir=" + dataDir);
    }

    private static void update(DiscoveryServer server, String cluster, String node, byte[] data, List<byte[]> endpoints)
            throws Exception {
        server.registry().update(cluster, node, data, endpoints, Duration.ofMinutes(10), Runnable::run).get();
    }

    private static AffiliateInfo info(String hostname, String... addresses) {
        return new AffiliateInfo(NODE, hostname, hostname, "worker", "Talos (v1.11.0)",
                Stream.of(addresses).map(IpText::parse).toList(),
                new KubeSpanInfo("mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7h=", IpText.parse("fd7f:175a:b97c:5602::1"),
                        List.of(IpPrefix.parse("10.244.1.0/24"))), null);
    }

    /** Three updates of node-a (the first is the test vector's blob and endpoint), one of node-b, one other cluster. */
    private static void buildHistory(Path data) throws Exception {
        ClusterSealer codec = new ClusterSealer(SECRET);
        ClusterSealer other = new ClusterSealer(ClusterSecret.fromBytes(new byte[32]));
        try (DiscoveryServer server = start(data)) {
            update(server, CLUSTER, NODE, hex(VECTORS.get("affiliate_data").get("blob")),
                    List.of(hex(VECTORS.get("endpoints").get(0).get("encrypted"))));
            update(server, CLUSTER, "node-b", codec.sealAffiliate(info("worker-b", "192.0.2.2")), List.of());
            update(server, CLUSTER, NODE, codec.sealAffiliate(info("talos-default-worker-1", "172.20.0.5", "10.0.0.9")),
                    List.of(codec.sealEndpoint(NodeEndpoint.parse("[2001:db8::1]:51820"))));
            update(server, CLUSTER, NODE, codec.sealAffiliate(info("renamed-worker", "10.0.0.9")), List.of());
            update(server, "another-cluster", NODE, other.sealAffiliate(info("elsewhere", "198.51.100.1")), List.of());
        }
    }

    @Test
    void historyAndDumpDecodeWithTheSecretFileAndShowWhatChanged(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        buildHistory(data);
        Path secretFile = tmp.resolve("cluster.secret");
        Files.writeString(secretFile, SECRET_B64 + "\n");

        CliRun history = run("history", "--data-dir", data.toString(), "--cluster", CLUSTER, "--affiliate", NODE,
                "--cluster-secret-file", secretFile.toString());
        assertThat(history.code()).as(history.out() + history.err()).isZero();
        List<String> blocks = blocks(history.out());
        assertThat(blocks).hasSize(3);
        // From the vector: hostname, addresses, KubeSpan, endpoint 172.20.0.5:51820.
        assertThat(blocks.get(0)).contains("hostname talos-default-worker-1", "machine type worker",
                "addresses 172.20.0.5", "kubespan key mB6tO4M2+6Wq5z5y2tYq3Zl0o9XJk5b6y3c8e1f4g7h=",
                "endpoints 172.20.0.5:51820", "+endpoint 172.20.0.5:51820");
        assertThat(blocks.get(1)).contains("+address 10.0.0.9", "-address fd83:b1f7:fcb5:2802::5",
                "kubespanAddress fd7f:175a:b97c:5602:4f3:b3ff:fe5c:1f2a -> fd7f:175a:b97c:5602::1",
                "+endpoint [2001:db8::1]:51820", "endpoints 172.20.0.5:51820, [2001:db8::1]:51820")
                .doesNotContain("hostname talos-default-worker-1 ->", "-endpoint");
        assertThat(blocks.get(2)).contains("hostname talos-default-worker-1 -> renamed-worker",
                "-address 172.20.0.5").doesNotContain("+endpoint");

        CliRun dump = run("log", "dump", "--data-dir", data.toString(), "--cluster", CLUSTER,
                "--cluster-secret-file", secretFile.toString());
        assertThat(dump.code()).as(dump.err()).isZero();
        List<JsonNode> lines = lines(dump.out());
        assertThat(lines).extracting(n -> n.get("affiliate").asText()).containsExactly(NODE, "node-b", NODE, NODE);
        assertThat(lines).extracting(n -> n.get("data").get("hostname").asText())
                .containsExactly("talos-default-worker-1", "worker-b", "talos-default-worker-1", "renamed-worker");
        JsonNode second = lines.get(2);
        assertThat(second.get("data").get("addresses")).extracting(JsonNode::asText).containsExactly("172.20.0.5", "10.0.0.9");
        assertThat(second.get("data").get("kubespan").get("address").asText()).isEqualTo("fd7f:175a:b97c:5602::1");
        assertThat(second.get("endpointsText")).extracting(JsonNode::asText).containsExactly("[2001:db8::1]:51820");
        assertThat(second.get("changes").get("addressesAdded")).extracting(JsonNode::asText).containsExactly("10.0.0.9");
        assertThat(lines.get(3).get("changes").get("fields").get("hostname").get("to").asText()).isEqualTo("renamed-worker");
        assertThat(lines.get(0).get("dataSha256").asText()).hasSize(64);

        CliRun replay = run("replay", "--data-dir", data.toString(), "--cluster", CLUSTER,
                "--cluster-secret-file", secretFile.toString());
        assertThat(replay.code()).as(replay.err()).isZero();
        JsonNode view = JSON.readTree(replay.out());
        assertThat(view.get("clusters")).hasSize(1);
        assertThat(view.get("clusters").get(0).get("affiliates").findValuesAsText("hostname"))
                .containsExactlyInAnyOrder("renamed-worker", "worker-b");
        assertThat(view.get("clusters").get(0).get("affiliates").findValuesAsText("text"))
                .containsExactly("172.20.0.5:51820", "[2001:db8::1]:51820");

        assertSecretNowhere(data, history, dump, replay);
    }

    @Test
    void aWrongSecretShowsUndecryptableEntriesWithoutFailing(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        buildHistory(data);
        Path wrong = tmp.resolve("wrong.secret");
        Files.writeString(wrong, Base64.getEncoder().encodeToString(new byte[32]));

        CliRun dump = run("log", "dump", "--data-dir", data.toString(), "--cluster", CLUSTER, "--cluster-secret-file", wrong.toString());
        assertThat(dump.code()).as(dump.err()).isZero();
        List<JsonNode> lines = lines(dump.out());
        assertThat(lines).hasSize(4).allSatisfy(n -> {
            assertThat(n.has("data")).isFalse();
            assertThat(n.get("dataUndecryptable").asText()).contains("failed authentication");
        });
        assertThat(lines.get(0).get("endpointsUndecryptable").asInt()).isEqualTo(1);
        assertThat(lines.get(2).get("endpointsUndecryptable").asInt()).isEqualTo(1);

        CliRun history = run("history", "--data-dir", data.toString(), "--cluster", CLUSTER, "--affiliate", NODE,
                "--cluster-secret-file", wrong.toString());
        assertThat(history.code()).isZero();
        assertThat(blocks(history.out())).hasSize(3).allSatisfy(b -> assertThat(b).contains("data undecryptable"));

        Files.writeString(wrong, "not base64 at all");
        CliRun bad = run("log", "dump", "--data-dir", data.toString(), "--cluster", CLUSTER, "--cluster-secret-file", wrong.toString());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("does not hold a cluster secret").doesNotContain("not base64 at all");
    }

    @Test
    void aLogCutBackBehindTheSnapshotIsFoundByVerifyAndRefusedAtStartUp(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        ClusterSealer codec = new ClusterSealer(SECRET);
        try (DiscoveryServer server = start(data)) {
            for (int i = 0; i < 5; i++) {
                update(server, CLUSTER, "n" + i, codec.sealAffiliate(info("h" + i)), List.of());
            }
        }
        Path shorter = tmp.resolve("eventlog-before");
        copy(data.resolve("eventlog"), shorter);
        try (DiscoveryServer server = start(data)) {
            for (int i = 5; i < 8; i++) {
                update(server, CLUSTER, "n" + i, codec.sealAffiliate(info("h" + i)), List.of());
            }
        } // the shutdown snapshot records the head after these
        CliRun intact = run("log", "verify", "--data-dir", data.toString());
        assertThat(intact.code()).as(intact.out()).isZero();
        assertThat(intact.out()).contains("ok: 8 events", "reaches the head in the snapshot");

        delete(data.resolve("eventlog"));
        copy(shorter, data.resolve("eventlog")); // the last three records cut off: an older, shorter log
        CliRun verify = run("log", "verify", "--data-dir", data.toString());
        assertThat(verify.code()).as(verify.out()).isEqualTo(1);
        assertThat(verify.out()).startsWith("BAD log: the log ends at record").contains("truncated", "the snapshot");

        assertThatThrownBy(() -> start(data)).isInstanceOf(StartupException.class)
                .hasMessageContaining("cut off its end (truncated)")
                .hasMessageContaining("log verify --data-dir " + data);
    }

    private static void assertSecretNowhere(Path data, CliRun... runs) throws IOException {
        byte[] raw = SECRET.key();
        String hex = HexFormat.of().formatHex(raw);
        for (CliRun r : runs) {
            assertThat(r.out() + r.err()).doesNotContain(SECRET_B64).doesNotContainIgnoringCase(hex);
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(content).as(f.toString()).doesNotContain(SECRET_B64)
                        .doesNotContain(new String(raw, StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** The history's blocks: a line starting with a time, and the indented lines after it. */
    private static List<String> blocks(String text) {
        List<String> blocks = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("20")) {
                blocks.add(line);
            } else if (!blocks.isEmpty()) {
                blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1) + "\n" + line);
            }
        }
        return blocks;
    }

    private static List<JsonNode> lines(String text) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static byte[] hex(JsonNode node) {
        return HexFormat.of().parseHex(node.asText());
    }

    private static JsonNode vectors() {
        try (InputStream in = AuditCommandsTest.class.getResourceAsStream("/test-vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
