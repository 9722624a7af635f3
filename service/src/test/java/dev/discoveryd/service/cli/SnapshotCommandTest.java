package dev.discoveryd.service.cli;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.service.DiscoveryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SnapshotCommandTest {
    private static final String CLUSTER = "cluster-a";

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    private static DiscoveryServer start(Path dataDir) throws Exception {
        return DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--ip-rate-limit=0",
                "--snapshot-interval=100ms", "--data-dir=" + dataDir);
    }

    /** Waits for a periodic snapshot holding {@code affiliates} affiliates (the last save's gauge). */
    private static void awaitSnapshotOf(DiscoveryServer server, int affiliates) {
        await().atMost(Duration.ofSeconds(30)).until(() -> server.ops().meters().get("discovery.storage.last.operation.affiliates")
                .tag("operation", "save").gauge().value() == affiliates);
    }

    private static Map<String, String> affiliates(DiscoveryServer server) {
        return server.registry().list(CLUSTER).stream().collect(Collectors.toMap(Affiliate::id,
                a -> new String(a.data(), StandardCharsets.UTF_8) + "|" + a.endpoints().stream()
                        .map(e -> new String(e, StandardCharsets.UTF_8)).collect(Collectors.joining(",")),
                (a, b) -> a, TreeMap::new));
    }

    @Test
    void backupWhileRunningThenRestoreIntoAFreshDataDirectory(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path backup = tmp.resolve("backup");
        Path restored = tmp.resolve("restored");
        Map<String, String> before;
        try (DiscoveryServer server = start(data)) {
            for (int i = 0; i < 3; i++) {
                server.registry().update(CLUSTER, "node-" + i, ("data-" + i).getBytes(StandardCharsets.UTF_8),
                        List.of(("10.0.0." + i).getBytes(StandardCharsets.UTF_8)), Duration.ofMinutes(10),
                        Runnable::run).get();
            }
            server.registry().update("cluster-b", "solo", new byte[]{1}, List.of(), Duration.ofMinutes(10),
                    Runnable::run).get();
            before = affiliates(server);
            awaitSnapshotOf(server, 4);

            CliRun inspect = run("snapshot", "inspect", "--data-dir", data.toString());
            assertThat(inspect.code()).as(inspect.err()).isZero();
            assertThat(inspect.out()).contains("\"clusterCount\" : 2").contains("\"affiliateCount\" : 4")
                    .contains("node-1");

            CliRun made = run("snapshot", "backup", "--to", backup.toString(), "--data-dir", data.toString());
            assertThat(made.code()).as(made.err()).isZero();
            assertThat(made.out()).contains("2 clusters, 4 affiliates").contains("key NOT included");
            assertThat(backup.resolve("at-rest.key")).doesNotExist();

            CliRun again = run("snapshot", "backup", "--to", backup.toString(), "--data-dir", data.toString());
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.err()).contains("not an empty directory");
        }
        assertThat(before).hasSize(3);

        Files.createDirectories(restored);
        Files.copy(data.resolve("at-rest.key"), restored.resolve("at-rest.key"));
        CliRun restore = run("snapshot", "restore", "--from", backup.toString(), "--data-dir", restored.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("2 clusters, 4 affiliates");

        try (DiscoveryServer server = start(restored)) {
            assertThat(affiliates(server)).isEqualTo(before);
            assertThat(server.registry().list("cluster-b")).hasSize(1);
        }
    }

    @Test
    void backupWithKeyRestoresWithoutCopyingTheKeyByHand(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path backup = tmp.resolve("backup");
        Path restored = tmp.resolve("restored");
        try (DiscoveryServer server = start(data)) {
            server.registry().update(CLUSTER, "only", new byte[]{7}, List.of(), Duration.ofMinutes(10),
                    Runnable::run).get();
            awaitSnapshotOf(server, 1);
            CliRun made = run("snapshot", "backup", "--include-key", "--to", backup.toString(), "--data-dir",
                    data.toString());
            assertThat(made.code()).as(made.err()).isZero();
        }
        assertThat(backup.resolve("at-rest.key")).exists();
        CliRun restore = run("snapshot", "restore", "--from", backup.toString(), "--data-dir", restored.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        try (DiscoveryServer server = start(restored)) {
            assertThat(server.registry().list(CLUSTER)).extracting(Affiliate::id).containsExactly("only");
        }
    }

    @Test
    void inspectAndRestoreFailCleanlyOnEmptyDirectories(@TempDir Path tmp) throws Exception {
        CliRun inspect = run("snapshot", "inspect", "--data-dir", tmp.toString());
        assertThat(inspect.code()).isEqualTo(1);
        assertThat(inspect.err().strip()).doesNotContain("\n").contains("no snapshot");
        assertThat(inspect.out()).isEmpty();

        Path empty = Files.createDirectories(tmp.resolve("empty-backup"));
        CliRun restore = run("snapshot", "restore", "--from", empty.toString(), "--data-dir", tmp.toString());
        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err()).contains("neither");
    }
}
