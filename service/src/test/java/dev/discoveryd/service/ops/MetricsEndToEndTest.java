package dev.discoveryd.service.ops;

import dev.discoveryd.service.e2e.MutableClock;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.service.DiscoveryServer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Known traffic against the real server, then a scrape of /metrics: every reference name, with the right values. */
class MetricsEndToEndTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    static AffiliateUpdateRequest update(String cluster, String affiliate, int endpoints, long ttlSeconds) {
        AffiliateUpdateRequest.Builder b = AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId(affiliate)
                .setAffiliateData(ByteString.copyFromUtf8("sealed"))
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(ttlSeconds));
        for (int i = 0; i < endpoints; i++) {
            b.addAffiliateEndpoints(ByteString.copyFrom(new byte[]{10, 0, 0, (byte) i}));
        }
        return b.build();
    }

    static PromText scrape(int port) {
        HttpResponse<String> r = Http.get(port, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return new PromText(r.body());
    }

    private static Map<String, String> rpc(String method) {
        return Map.of("grpc_method", method, "grpc_service", "sidero.discovery.server.Cluster");
    }

    private static Map<String, String> rpc(String method, String code) {
        return Map.of("grpc_method", method, "grpc_code", code);
    }

    @Test
    void everyReferenceNameIsExportedWithValuesThatFollowTheTraffic() throws Exception {
        try (DiscoveryServer server = DiscoveryServer.start(clock, "--addr=127.0.0.1:0", "--landing-addr=",
                "--metrics-addr=127.0.0.1:0", "--in-memory", "--gc-interval=50ms", "--event-loops=2");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false)) {
            int port = server.ops().metricsPort();
            for (String version : new String[]{"v1.9.0", "v1.9.0", "v1.10.0"}) {
                assertThat(client.call(ClusterGrpcClient.Hello, HelloRequest.newBuilder().setClusterId("c1")
                        .setClientVersion(version).build()).status()).isEqualTo(GrpcStatus.OK);
            }
            assertThat(client.call(ClusterGrpcClient.Hello, HelloRequest.newBuilder().setClusterId("").build()).status())
                    .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
            client.call(ClusterGrpcClient.AffiliateUpdate, update("c1", "a1", 2, 60));
            client.call(ClusterGrpcClient.AffiliateUpdate, update("c1", "a2", 1, 60));
            client.call(ClusterGrpcClient.AffiliateUpdate, update("c2", "b1", 0, 600));
            GrpcCaller.Watch watch = client.watch("c1", Map.of(), 0);
            assertThat(watch.next().getAffiliatesCount()).isEqualTo(2);

            PromText m = scrape(port);
            assertThat(m.value("discovery_state_clusters")).isEqualTo(2);
            assertThat(m.value("discovery_state_affiliates")).isEqualTo(3);
            assertThat(m.value("discovery_state_endpoints")).isEqualTo(3);
            assertThat(m.value("discovery_state_subscriptions")).isEqualTo(1);
            assertThat(m.value("discovery_server_hello_requests_total", Map.of("client_version", "v1.9.0"))).isEqualTo(2);
            assertThat(m.value("discovery_server_hello_requests_total", Map.of("client_version", "v1.10.0"))).isEqualTo(1);
            assertThat(m.value("grpc_server_started_total", Map.of("grpc_method", "Hello", "grpc_type", "unary"))).isEqualTo(4);
            assertThat(m.value("grpc_server_handled_total", rpc("Hello", "OK"))).isEqualTo(3);
            assertThat(m.value("grpc_server_handled_total", rpc("Hello", "InvalidArgument"))).isEqualTo(1);
            assertThat(m.value("grpc_server_handled_total", rpc("AffiliateUpdate", "OK"))).isEqualTo(3);
            assertThat(m.value("grpc_server_started_total", Map.of("grpc_method", "Watch", "grpc_type", "server_stream"))).isEqualTo(1);
            assertThat(m.value("grpc_server_msg_received_total", rpc("AffiliateUpdate"))).isEqualTo(3);
            assertThat(m.value("grpc_server_msg_received_total", rpc("Watch"))).isEqualTo(1);
            assertThat(m.value("grpc_server_msg_sent_total", rpc("AffiliateUpdate"))).isEqualTo(3);
            assertThat(m.value("grpc_server_msg_sent_total", rpc("Watch"))).as("the snapshot message").isEqualTo(1);
            assertThat(m.value("grpc_server_handling_seconds_count", rpc("Hello"))).isEqualTo(4);
            for (String le : new String[]{"0.01", "0.1", "0.25", "0.5", "1.0", "2.5", "+Inf"}) {
                assertThat(m.value("grpc_server_handling_seconds_bucket", Map.of("grpc_method", "Hello", "le", le)))
                        .as("bucket le=%s", le).isBetween(0.0, 4.0);
            }
            assertThat(m.value("grpc_server_handling_seconds_bucket", Map.of("grpc_method", "Hello", "le", "+Inf"))).isEqualTo(4);

            // Expire c1's affiliates; the watcher keeps c1 alive until it leaves.
            clock.advance(Duration.ofSeconds(120));
            await().untilAsserted(() -> assertThat(scrape(port).value("discovery_state_gc_affiliates_total")).isEqualTo(2));
            watch.cancel();
            await().untilAsserted(() -> {
                PromText after = scrape(port);
                assertThat(after.value("discovery_state_affiliates")).isEqualTo(1);
                assertThat(after.value("discovery_state_endpoints")).isZero();
                assertThat(after.value("discovery_state_subscriptions")).isZero();
                assertThat(after.value("discovery_state_clusters")).isEqualTo(1);
                assertThat(after.value("discovery_state_gc_clusters_total")).isEqualTo(1);
                assertThat(after.value("discovery_state_gc_runs_total")).isPositive();
                assertThat(after.value("grpc_server_handled_total", rpc("Watch", "Canceled"))).isEqualTo(1);
            });
        }
    }

    @Test
    void storageJvmAndProcessMetricsAndHealthAreThereFromTheStart() throws Exception {
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=",
                "--metrics-addr=127.0.0.1:0", "--in-memory", "--event-loops=1")) {
            int port = server.ops().metricsPort();
            PromText m = scrape(port);
            for (String op : new String[]{"save", "load"}) {
                assertThat(m.value("discovery_storage_operations_total", Map.of("operation", op, "status", "success"))).isZero();
                assertThat(m.value("discovery_storage_operations_total", Map.of("operation", op, "status", "error"))).isZero();
                for (String name : new String[]{"discovery_storage_last_snapshot_size_bytes",
                        "discovery_storage_last_operation_clusters", "discovery_storage_last_operation_affiliates",
                        "discovery_storage_last_operation_endpoints", "discovery_storage_last_operation_duration_seconds"}) {
                    assertThat(m.value(name, Map.of("operation", op))).as(name).isZero();
                }
            }
            for (String name : new String[]{"discovery_state_gc_runs_total", "discovery_state_gc_clusters_total",
                    "discovery_state_gc_affiliates_total", "jvm_memory_used_bytes", "jvm_threads_live_threads",
                    "jvm_gc_max_data_size_bytes", "process_cpu_usage", "process_uptime_seconds", "process_start_time_seconds",
                    "process_files_open_files", "discovery_ratelimit_rejected_total"}) {
                assertThat(m.has(name)).as(name).isTrue();
            }
            assertThat(Http.get(port, "/healthz").statusCode()).isEqualTo(200);
            assertThat(Http.get(port, "/readyz").statusCode()).isEqualTo(200);
            assertThat(Http.get(port, "/nope").statusCode()).isEqualTo(404);
        }
    }
}
