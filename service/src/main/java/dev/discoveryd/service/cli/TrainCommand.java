package dev.discoveryd.service.cli;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateDeleteRequest;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.startup.WarmUpClient;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code discoveryd train}: a start, a little of every RPC over loopback, a clean stop, a restart from the snapshot
 * that stop wrote, on a throwaway data directory.
 * It serves nobody; it is the training run for the JVM's class-data sharing archive or AOT cache
 * ({@code -XX:ArchiveClassesAtExit} on 17, {@code -XX:AOTCacheOutput} on 25), which run.sh makes once per jar.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Start, exercise, stop and restart the service on a throwaway data directory (a JVM training run).")
public final class TrainCommand implements Callable<Integer> {
    private static final String SERVICE = "/sidero.discovery.server.Cluster/";
    /** A cluster left in place at the first stop, for the restart to load. */
    private static final String KEPT = "train-kept";
    private static final int LOADED_CLUSTERS = 3000;
    private static final int DATA_BYTES = 2000;

    @Option(names = "--calls", description = "calls of each RPC (default ${DEFAULT-VALUE})")
    int calls = 2000;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("discoveryd-train");
        Vertx vertx = Vertx.vertx();
        String[] flags = {"--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0",
                "--data-dir=" + dir.resolve("data"), "--ip-rate-limit=0"};
        try {
            DiscoveryServer server = DiscoveryServer.start(flags);
            try (WarmUpClient client = new WarmUpClient(vertx, server.grpcPort(), 2)) {
                exercise(client, "Hello", HelloRequest.newBuilder().setClusterId("train").setClientVersion("train").build().toByteArray());
                exercise(client, "AffiliateUpdate", update("train"));
                exercise(client, "List", list("train"));
                exercise(client, "AffiliateDelete", AffiliateDeleteRequest.newBuilder().setClusterId("train")
                        .setAffiliateId("node").build().toByteArray());
                exercise(client, "AffiliateUpdate", update(KEPT));
                // Enough clusters that loading them at the restart below makes the load path hot (decryption above
                // all), so that the cache's method profiles have it compiled early at a real start.
                List<CompletableFuture<Void>> kept = new ArrayList<>();
                for (int c = 0; c < LOADED_CLUSTERS; c++) {
                    kept.add(server.registry().update(KEPT + "-" + c, "node", new byte[DATA_BYTES], List.of(new byte[18]),
                            java.time.Duration.ofMinutes(30), Runnable::run));
                }
                CompletableFuture.allOf(kept.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            } finally {
                server.close(); // writes the snapshot the restart below loads
            }
            // A restart from that snapshot: loading it, and building a loaded cluster on its first List, are trained too.
            DiscoveryServer restarted = DiscoveryServer.start(flags);
            try (WarmUpClient client = new WarmUpClient(vertx, restarted.grpcPort(), 2)) {
                exercise(client, "List", list(KEPT));
            } finally {
                restarted.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static byte[] update(String cluster) {
        return AffiliateUpdateRequest.newBuilder().setClusterId(cluster).setAffiliateId("node")
                .setAffiliateData(ByteString.copyFrom(new byte[300])).addAffiliateEndpoints(ByteString.copyFrom(new byte[18]))
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build().toByteArray();
    }

    private static byte[] list(String cluster) {
        return ListRequest.newBuilder().setClusterId(cluster).build().toByteArray();
    }

    private void exercise(WarmUpClient client, String method, byte[] request) throws Exception {
        int ok = client.repeat(SERVICE + method, request, calls, 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(30))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (ok == 0) {
            throw new IllegalStateException("training: no " + method + " call was answered OK: " + client.firstFailure());
        }
    }
}
