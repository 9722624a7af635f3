package dev.discoveryd.service.e2e;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cold start of the real jar the way run.sh does it: a training run ({@code train}) writes a class-data sharing
 * archive, the jar starts from it on an empty data directory, and the very first thing it meets is a burst of 150
 * Hellos from one address. With the default burst of 60 and a refill too slow for any caller to wait for a token,
 * every call gets an answer in time: OK for exactly the burst, RESOURCE_EXHAUSTED at once for the rest, none
 * DEADLINE_EXCEEDED. The deadline is generous (the reference answers in milliseconds); ops/bench.sh coldstart
 * measures the real figures.
 */
@Tag("slow")
class ColdStartIT {
    private static final int BURST = 150;
    private static final int DEADLINE_MS = 1500;

    @TempDir
    Path tmp;

    @Test
    void theFirstBurstAfterAStartFromTheTrainedArchiveIsAnsweredInTime() throws Exception {
        Path archive = tmp.resolve("discoveryd.jsa");
        JarProcess.ToolRun train = JarProcess.toolWith(List.of("-XX:ArchiveClassesAtExit=" + archive), "train", "--calls=300");
        assertThat(train.exitCode()).as(train.output()).isZero();
        assertThat(archive).isNotEmptyFile();

        Path classes = tmp.resolve("classes.txt");
        try (JarProcess service = JarProcess.start(List.of("-XX:SharedArchiveFile=" + archive,
                        "-Xlog:class+load=info:file=" + classes), List.of("--addr=127.0.0.1:0", "--landing-addr=",
                        "--metrics-addr=", "--data-dir=" + tmp.resolve("data"), "--ip-rate-limit=0.01", "--ip-rate-burst=60"));
             Burst burst = new Burst(service.port)) {
            Map<String, Integer> answers = burst.fire();
            assertThat(answers).as("answers to %d Hellos within %d ms, right after start", BURST, DEADLINE_MS)
                    .doesNotContainKeys("DEADLINE_EXCEEDED", "other");
            assertThat(answers).as("the burst served, the rest refused").isEqualTo(Map.of("OK", 60, "RESOURCE_EXHAUSTED", 90));
            assertThat(service.output.toString()).contains("warm-up").doesNotContain("warm-up: a Hello over loopback failed");
        }
        // The service's own classes came from the archive, not from the jar.
        assertThat(Files.readString(classes)).containsPattern("dev\\.discoveryd\\.service\\.grpc\\.ClusterApi source: shared objects file");
    }

    /** 150 concurrent Hellos over 10 connections, with deadlines the client enforces itself (as grpc-go does). */
    private static final class Burst implements AutoCloseable {
        private final Vertx vertx = Vertx.vertx();
        private final SocketAddress address;

        Burst(int port) {
            address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
        }

        Map<String, Integer> fire() throws Exception {
            List<GrpcClient> clients = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                clients.add(GrpcClient.builder(vertx).with(new GrpcClientOptions().setScheduleDeadlineAutomatically(true))
                        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
                        .build());
            }
            HelloRequest hello = HelloRequest.newBuilder().setClusterId("cold").setClientVersion("cold-start-it").build();
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                calls.add(clients.get(i % clients.size()).request(address, ClusterGrpcClient.Hello).compose(r -> {
                    r.timeout(DEADLINE_MS, TimeUnit.MILLISECONDS);
                    return r.send(hello);
                }).compose(GrpcClientResponse::end, Future::failedFuture).map(v -> "OK").recover(e -> Future.succeededFuture(code(e))));
            }
            Map<String, Integer> counts = new TreeMap<>();
            for (Future<String> call : calls) {
                counts.merge(call.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS), 1, Integer::sum);
            }
            return counts;
        }

        private static String code(Throwable e) {
            String text = String.valueOf(e);
            if (text.contains("RESOURCE_EXHAUSTED")) {
                return "RESOURCE_EXHAUSTED";
            }
            return text.contains("DEADLINE_EXCEEDED") || text.contains("imeout") || text.contains("CANCEL")
                    ? "DEADLINE_EXCEEDED" : "other: " + text;
        }

        @Override
        public void close() {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
