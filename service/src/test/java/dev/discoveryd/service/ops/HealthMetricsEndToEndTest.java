package dev.discoveryd.service.ops;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The meters alerts are written against: readiness, free disk against the reserve, snapshot freshness. */
class HealthMetricsEndToEndTest {
    @TempDir
    Path data;

    @Test
    void aDiskBelowTheReserveShowsInTheGaugesAndRefusedChangesCountAsJournalFailures() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=",
                "--metrics-addr=127.0.0.1:0", "--data-dir=" + data, "--log-min-free=1000TiB", "--event-loops=1");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            assertThat(client.call(ClusterGrpcClient.AffiliateUpdate, MetricsEndToEndTest.update("c1", "a1", 1, 60))
                    .status()).isEqualTo(GrpcStatus.UNAVAILABLE);
            PromText m = MetricsEndToEndTest.scrape(server.ops().metricsPort());
            assertThat(m.value("discovery_server_ready")).isEqualTo(1);
            assertThat(m.value("discovery_storage_disk_reserve_bytes")).isEqualTo(1000.0 * (1L << 40));
            assertThat(m.value("discovery_storage_disk_free_bytes")).isPositive()
                    .isLessThan(m.value("discovery_storage_disk_reserve_bytes"));
            assertThat(m.value("discovery_state_journal_failures_total")).isEqualTo(1);
            assertThat(m.value("discovery_storage_snapshot_current_timestamp_seconds"))
                    .isBetween((double) before, System.currentTimeMillis() / 1000.0 + 1);
        }
    }

    @Test
    void inMemoryHasNoDiskOrSnapshotGaugesToAlertOn() throws Exception {
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=",
                "--metrics-addr=127.0.0.1:0", "--in-memory", "--event-loops=1")) {
            PromText m = MetricsEndToEndTest.scrape(server.ops().metricsPort());
            assertThat(m.value("discovery_server_ready")).isEqualTo(1);
            assertThat(m.has("discovery_storage_disk_free_bytes")).isFalse();
            assertThat(m.has("discovery_storage_snapshot_current_timestamp_seconds")).isFalse();
        }
    }
}
