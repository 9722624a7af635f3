package dev.discoveryd.service.e2e;

import com.google.protobuf.ByteString;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real full disk under the real jar: the data directory is on a small tmpfs that the test fills up. Changes are
 * refused with UNAVAILABLE and lose nothing, reads go on, the process stays up, and changes resume once space is
 * freed. Needs root to mount (CI runs as root); elsewhere it is skipped.
 */
@EnabledOnOs(OS.LINUX)
class DiskFullIT {
    private static final String CLUSTER = "disk-full";

    @TempDir
    Path tmp;
    private Path disk;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Files.createDirectories(tmp.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "cannot mount a tmpfs here (needs root): " + out.strip());
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskRefusesChangesKeepsReadsAndResumesOnceSpaceIsFreed() throws Exception {
        Path data = disk.resolve("data");
        List<String> acknowledged = new ArrayList<>();
        try (JarProcess service = JarProcess.start("--data-dir=" + data, "--log-sync=always", "--log-min-free=64MiB",
                "--snapshot-interval=2s");
             TestClient client = new TestClient(service.port)) {
            for (int i = 0; i < 40; i++) {
                assertThat(update(client, "before-" + i).status()).isEqualTo(GrpcStatus.OK);
                acknowledged.add("before-" + i);
            }

            Path filler = disk.resolve("filler");
            long filled = fill(filler);
            assertThat(filled).as("bytes written until the disk was full").isPositive();
            assertThat(Files.getFileStore(disk).getUsableSpace()).isLessThan(1 << 20);

            for (int i = 0; i < 5; i++) {
                TestClient.Result<?> refused = update(client, "refused-" + i);
                assertThat(refused.status()).isEqualTo(GrpcStatus.UNAVAILABLE);
                // Clients learn to retry; the reason (disk, reserve, directory) is for the operator's log.
                assertThat(refused.message()).isEqualTo("the change could not be stored; try again");
            }
            assertThat(ids(client)).containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(client.call(ClusterGrpcClient.Hello, HelloRequest.newBuilder().setClusterId(CLUSTER)
                    .setClientVersion("test").build()).status()).isEqualTo(GrpcStatus.OK);
            TestClient.Watch watch = client.watch(CLUSTER);
            assertThat(watch.next().getAffiliatesCount()).isEqualTo(acknowledged.size());
            watch.cancel();
            // The updates above are usually not saved yet: the next snapshot meets the full disk too.
            Thread.sleep(2500);
            assertThat(service.process.isAlive()).isTrue();

            Files.delete(filler);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (update(client, "after-0").status() != GrpcStatus.OK) {
                assertThat(System.nanoTime()).as("changes resume once space is freed").isLessThan(deadline);
                Thread.sleep(100);
            }
            acknowledged.add("after-0");
            for (int i = 1; i < 20; i++) {
                assertThat(update(client, "after-" + i).status()).isEqualTo(GrpcStatus.OK);
                acknowledged.add("after-" + i);
            }
            if (service.output.toString().contains("snapshot failed")) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!service.output.toString().contains("snapshots saved again") && System.nanoTime() < until) {
                    Thread.sleep(200);
                }
            }
            assertThat(service.terminate()).as("SIGTERM exits 0").isZero();

            String log = service.output.toString();
            assertThat(log).contains("Event log disk nearly full").contains("--log-min-free").contains("accepting changes");
            assertThat(log.lines().filter(l -> l.contains("Event log disk nearly full"))).hasSize(1);
            // A snapshot that met the full disk (unless one saved the updates before the disk filled) is logged
            // once, with its cause, and snapshots work again afterwards.
            List<String> failed = log.lines().filter(l -> l.contains("snapshot failed")).toList();
            assertThat(failed).hasSizeLessThanOrEqualTo(1).allMatch(l -> l.contains("No space left on device"));
            if (!failed.isEmpty()) {
                assertThat(log).contains("snapshots saved again after");
            }
            assertThat(log).as("expected errors log no stack traces").doesNotContain("\tat ");
            assertThat(log).contains("discoveryd stopped");
        }

        try (JarProcess service = JarProcess.start("--data-dir=" + data);
             TestClient client = new TestClient(service.port)) {
            assertThat(ids(client)).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
        JarProcess.ToolRun verify = JarProcess.tool("log", "verify", "--data-dir=" + data);
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    private static TestClient.Result<?> update(TestClient client, String affiliate) {
        return client.call(ClusterGrpcClient.AffiliateUpdate, AffiliateUpdateRequest.newBuilder()
                .setClusterId(CLUSTER).setAffiliateId(affiliate)
                .setAffiliateData(ByteString.copyFrom(new byte[200]))
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1800)).build());
    }

    private static List<String> ids(TestClient client) {
        ListResponse list = client.call(ClusterGrpcClient.List, ListRequest.newBuilder().setClusterId(CLUSTER).build()).reply();
        return list.getAffiliatesList().stream().map(a -> a.getId()).toList();
    }

    /** Writes {@code file} until the disk refuses more; returns the bytes written. */
    private static long fill(Path file) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        // Whatever is left below a chunk, byte by byte-ish.
        byte[] small = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(small);
                out.flush();
                written += small.length;
            }
        } catch (IOException full) {
            return written;
        }
    }
}
