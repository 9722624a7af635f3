package dev.discoveryd.service.h2;

import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.grpc.WatchBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 item 1: Watch streams opened with a zero flow-control window never take their data; the bytes they pin
 * (the first snapshot of a full cluster is 4.3 MB) stay within the per-watcher, per-address and process bounds, the
 * offender is ended, and a client that reads is served as before.
 */
class WatchBudgetTest {
    private static final long MIB = 1 << 20;
    private DiscoveryServer server;
    private final List<RawH2> clients = new ArrayList<>();

    private void start(String... limits) throws Exception {
        List<String> args = new ArrayList<>(List.of("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--in-memory",
                "--ip-rate-limit=0"));
        args.addAll(List.of(limits));
        server = DiscoveryServer.start(args.toArray(new String[0]));
    }

    @AfterEach
    void stop() throws Exception {
        for (RawH2 c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** 1024 affiliates of 2 KiB data and 64 endpoints: the largest cluster the limits allow. */
    private void fillCluster(String cluster) {
        List<byte[]> endpoints = new ArrayList<>();
        for (int e = 0; e < 64; e++) {
            byte[] ep = new byte[32];
            ep[0] = (byte) e;
            endpoints.add(ep);
        }
        for (int i = 0; i < 1024; i++) {
            server.registry().update(cluster, "affiliate-" + i, new byte[2048], endpoints, Duration.ofMinutes(30), Runnable::run).join();
        }
    }

    private WatchBudget budget() {
        return server.ops().watchBudget();
    }

    private double overflows(String limit) {
        return server.ops().meters().get("discovery.watch.overflows").tag("limit", limit).counter().count();
    }

    /** Opens {@code n} Watch streams of {@code cluster} from {@code from}, on connections that never grant a window. */
    private List<RawH2.Stream> nonReadingWatches(String from, String cluster, int n) throws Exception {
        RawH2 h2 = null;
        List<RawH2.Stream> streams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 5 == 0) {
                h2 = RawH2.connect(InetAddress.getByName(from), "127.0.0.1", server.grpcPort(), 0, false);
                clients.add(h2);
            }
            int id = h2.open(RawH2.grpcHeaders("Watch"), false);
            h2.data(id, RawH2.grpcFrame(WatchRequest.newBuilder().setClusterId(cluster).build().toByteArray()), true);
            streams.add(h2.stream(id));
        }
        return streams;
    }

    private void aReaderStillGetsTheWholeSnapshot(String from, String cluster) throws Exception {
        RawH2 good = RawH2.connect(InetAddress.getByName(from), "127.0.0.1", server.grpcPort(), -1, true);
        clients.add(good);
        int id = good.open(RawH2.grpcHeaders("Watch"), false);
        good.data(id, RawH2.grpcFrame(WatchRequest.newBuilder().setClusterId(cluster).build().toByteArray()), true);
        await().atMost(60, TimeUnit.SECONDS).until(() -> !good.stream(id).messages().isEmpty());
        assertThat(WatchResponse.parseFrom(good.stream(id).messages().get(0)).getAffiliatesCount()).isEqualTo(1024);
        assertThat(good.call("Hello", RawH2.grpcFrame(MalformedCallsTest.hello(cluster))).grpcStatus()).isZero();
    }

    @Test
    void oneAddressCannotPinMoreThanItsShare() throws Exception {
        start("--watch-buffer=8MiB", "--ip-watch-buffer=32MiB", "--watch-buffer-total=64MiB");
        fillCluster("full");
        List<RawH2.Stream> attack = nonReadingWatches("127.0.0.2", "full", 25);
        // Those past the address's share are refused with a status at once; the others sit on their snapshots.
        await().atMost(60, TimeUnit.SECONDS).until(() -> attack.stream().filter(s -> s.end.isDone()).count() >= 15);
        long refused = attack.stream().filter(s -> s.end.isDone() && Integer.valueOf(8).equals(s.grpcStatus())).count();
        assertThat(refused).as("refused with RESOURCE_EXHAUSTED").isGreaterThanOrEqualTo(15);
        assertThat(attack.stream().filter(s -> s.end.isDone()).findFirst().orElseThrow().grpcMessage()).contains("address");
        // The admitted ones may still be encoding their snapshots on a loaded machine: wait for what they pin.
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() -> assertThat(budget().held())
                .as("pinned by the non-reading watchers").isGreaterThan(20 * MIB).isLessThanOrEqualTo(32 * MIB));
        assertThat(overflows("address")).isGreaterThanOrEqualTo(15);

        aReaderStillGetsTheWholeSnapshot("127.0.0.3", "full");
        assertThat(budget().held()).isLessThanOrEqualTo(32 * MIB);
        clients.get(0).close(); // the attacker leaves: its bytes are given back
        await().atMost(60, TimeUnit.SECONDS).until(() -> budget().held() <= 28 * MIB);
    }

    @Test
    void overTheProcessBoundTheBiggestHoldersAreEvicted() throws Exception {
        start("--watch-buffer=8MiB", "--ip-watch-buffer=24MiB", "--watch-buffer-total=40MiB");
        fillCluster("full");
        List<RawH2.Stream> streams = new ArrayList<>();
        for (String from : new String[]{"127.0.0.2", "127.0.0.4", "127.0.0.5"}) {
            streams.addAll(nonReadingWatches(from, "full", 5));
            assertThat(budget().held()).isLessThanOrEqualTo(40 * MIB + 5 * MIB);
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> streams.stream().anyMatch(s -> Long.valueOf(0xb).equals(s.rst)));
        assertThat(overflows("process")).isPositive();
        await().atMost(60, TimeUnit.SECONDS).until(() -> budget().held() <= 40 * MIB);
        aReaderStillGetsTheWholeSnapshot("127.0.0.3", "full");
    }

    @Test
    void aWatcherFallingBehindByBytesIsEnded() throws Exception {
        start("--watch-buffer=256KiB", "--ip-watch-buffer=1MiB", "--watch-buffer-total=4MiB", "--watch-queue=100000");
        RawH2.Stream slow = nonReadingWatches("127.0.0.2", "small", 1).get(0);
        await().atMost(60, TimeUnit.SECONDS).until(() -> server.ops().meters().get("discovery.state.subscriptions").gauge().value() == 1);
        for (int i = 0; i < 1000 && !slow.end.isDone(); i++) {
            server.registry().update("small", "a" + (i % 10), new byte[2048], List.of(), Duration.ofMinutes(5), Runnable::run).join();
        }
        slow.await(60);
        // Its first snapshot is stuck in flow control, so it cannot be told in order: the stream is reset with
        // ENHANCE_YOUR_CALM, which gRPC clients report as RESOURCE_EXHAUSTED.
        assertThat(slow.rst).as(slow.toString()).isEqualTo(0xb);
        assertThat(overflows("watcher")).isEqualTo(1);
        await().atMost(60, TimeUnit.SECONDS).until(() -> budget().held() == 0);
    }
}
