package dev.discoveryd.service.h2;

import dev.discoveryd.api.server.WatchRequest;
import dev.discoveryd.api.server.WatchResponse;
import dev.discoveryd.service.DiscoveryServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 items 2, 6, 8 and 14 in raw HTTP/2 frames: one Watch is one subscription, a large header block costs its
 * stream only, rapid resets and cancelled calls leave the log quiet, a malformed call costs a rate-limit token.
 */
class StreamAbuseTest {
    private DiscoveryServer server;
    private LogCapture logs;

    private void start(String... extra) throws Exception {
        logs = LogCapture.start();
        List<String> args = new ArrayList<>(List.of("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--in-memory"));
        args.addAll(List.of(extra));
        server = DiscoveryServer.start(args.toArray(new String[0]));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private double watchSlots() {
        return server.ops().meters().get("discovery.ratelimit.watch.open").gauge().value();
    }

    private double subscriptions() {
        return server.ops().meters().get("discovery.state.subscriptions").gauge().value();
    }

    private static byte[] watch(String cluster) {
        return RawH2.grpcFrame(WatchRequest.newBuilder().setClusterId(cluster).build().toByteArray());
    }

    @Test
    void severalMessagesOnOneWatchSubscribeNothingAndAResetLeavesNoWatcher() throws Exception {
        start("--ip-rate-limit=0");
        try (RawH2 h2 = RawH2.connect(server.grpcPort())) {
            ByteArrayOutputStream three = new ByteArrayOutputStream();
            for (int i = 0; i < 3; i++) {
                three.writeBytes(watch("w"));
            }
            // Three messages and the end of the stream: refused as a whole.
            RawH2.Stream refused = h2.call("Watch", three.toByteArray());
            assertThat(refused.grpcStatus()).as(refused.toString()).isEqualTo(13);
            assertThat(refused.grpcMessage()).contains("cardinality violation");
            // Three messages, no end, then a reset: nothing may stay subscribed.
            int id = h2.open(RawH2.grpcHeaders("Watch"), false);
            h2.data(id, three.toByteArray(), false);
            // Refused on the second message, without waiting for the end (a wrong implementation subscribes here).
            await().until(() -> h2.stream(id).grpcStatus() != null);
            assertThat(h2.stream(id).grpcMessage()).contains("cardinality violation");
            h2.rst(id, RawH2.CANCEL);
            // A proper Watch on the same connection works, and is the only subscription.
            int ok = h2.open(RawH2.grpcHeaders("Watch"), false);
            h2.data(ok, watch("w"), true);
            await().until(() -> !h2.stream(ok).messages().isEmpty());
            assertThat(WatchResponse.parseFrom(h2.stream(ok).messages().get(0)).getAffiliatesCount()).isZero();
            assertThat(subscriptions()).isEqualTo(1);
            h2.rst(ok, RawH2.CANCEL);
            await().until(() -> subscriptions() == 0);
        }
        assertThat(logs.errors()).isEmpty();
    }

    @Test
    void watchSlotsAndBytesAreGivenBackHoweverAStreamEnds() throws Exception {
        start("--ip-rate-limit=0", "--ip-watch-limit=2", "--watch-queue=1");
        try (RawH2 h2 = RawH2.connect(server.grpcPort()); RawH2 stuck = RawH2.connect(null, "127.0.0.1", server.grpcPort(), 0, false)) {
            for (int i = 0; i < 5; i++) {
                int id = h2.open(RawH2.grpcHeaders("Watch"), false);
                h2.data(id, watch("slots"), true);
                await().until(() -> !h2.stream(id).messages().isEmpty());
                h2.rst(id, RawH2.CANCEL);
                await().until(() -> watchSlots() == 0);
            }
            // Ended by the server (lost update, with its snapshot stuck in flow control): the slot comes back when the
            // stream closes, and its bytes stay counted until then.
            int id = stuck.open(RawH2.grpcHeaders("Watch"), false);
            stuck.data(id, watch("slots"), true);
            await().until(() -> subscriptions() == 1);
            // Until its queue of one overflows: when that happens depends on when Vert.x sees the stream's write
            // queue full behind the stuck snapshot (three updates usually, more on a loaded machine).
            for (int i = 0; i < 500 && subscriptions() == 1; i++) {
                server.registry().update("slots", "a", new byte[10], List.of(), java.time.Duration.ofMinutes(1), Runnable::run).join();
            }
            await().atMost(java.time.Duration.ofSeconds(60)).until(() -> subscriptions() == 0);
            assertThat(server.ops().watchBudget().held()).isPositive();
            stuck.close();
            await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> watchSlots() == 0 && server.ops().watchBudget().held() == 0);
        }
    }

    @Test
    void aLargeHeaderBlockIsRefusedOnItsStreamAndTheConnectionKeepsItsWatch() throws Exception {
        start("--ip-rate-limit=0");
        try (RawH2 h2 = RawH2.connect(server.grpcPort())) {
            int w = h2.open(RawH2.grpcHeaders("Watch"), false);
            h2.data(w, watch("h"), true);
            await().until(() -> !h2.stream(w).messages().isEmpty());
            // 12 KiB of metadata: over the old 8 KiB limit, well within the new one.
            RawH2.Stream medium = h2.call("Hello", RawH2.grpcFrame(MalformedCallsTest.hello("h")), "x-pad", "p".repeat(12 * 1024));
            assertThat(medium.grpcStatus()).as(medium.toString()).isEqualTo(0);
            for (int size : new int[]{48 * 1024, 200 * 1024}) {
                RawH2.Stream big = h2.call("Hello", RawH2.grpcFrame(MalformedCallsTest.hello("h")), "x-pad", "p".repeat(size));
                assertThat(big.connectionLost).as("%d bytes of headers: %s", size, big).isFalse();
                assertThat(big.grpcStatus()).as(big.toString()).isEqualTo(8);
            }
            assertThat(h2.goAway).isNotDone();
            RawH2.Stream after = h2.call("Hello", RawH2.grpcFrame(MalformedCallsTest.hello("h")));
            assertThat(after.grpcStatus()).as(after.toString()).isEqualTo(0);
            assertThat(h2.stream(w).end).as("the Watch on the same connection").isNotDone();
        }
    }

    @Test
    void rapidResetsAreCutOffQuietly() throws Exception {
        start("--ip-rate-limit=0");
        List<RawH2> attackers = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                RawH2 h2 = RawH2.connect(server.grpcPort());
                attackers.add(h2);
                for (int i = 0; i < 600 && !h2.goAway.isDone() && !h2.closed.isDone(); i++) {
                    int id = h2.open(RawH2.grpcHeaders(i % 2 == 0 ? "Hello" : "Watch"), false);
                    if (i % 3 == 0) {
                        h2.data(id, RawH2.grpcFrame(MalformedCallsTest.hello("r")), false);
                    }
                    h2.rst(id, RawH2.CANCEL);
                }
            }
            for (RawH2 h2 : attackers) {
                await().until(() -> h2.goAway.isDone() || h2.closed.isDone());
            }
        } catch (java.net.SocketException cutOff) {
            // the server closed the connection under our feet: also fine
        } finally {
            for (RawH2 h2 : attackers) {
                h2.close();
            }
        }
        try (RawH2 h2 = RawH2.connect(server.grpcPort())) {
            assertThat(h2.call("Hello", RawH2.grpcFrame(MalformedCallsTest.hello("r"))).grpcStatus()).isEqualTo(0);
        }
        await().until(() -> subscriptions() == 0);
        assertThat(logs.atLeast(ch.qos.logback.classic.Level.WARN)).filteredOn(l -> !l.contains("in memory")).isEmpty();
    }

    @Test
    void callsCancelledWhileWaitingForARateLimitTokenAreCountedNotLogged() throws Exception {
        start("--ip-rate-limit=2", "--ip-rate-burst=1");
        try (RawH2 h2 = RawH2.connect(server.grpcPort())) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int id = h2.open(RawH2.grpcHeaders("Hello", "grpc-timeout", "100S"), false);
                h2.data(id, RawH2.grpcFrame(MalformedCallsTest.hello("x")), true);
                ids.add(id);
            }
            MeterRegistry meters = server.ops().meters();
            // The first is admitted at once, the others wait for tokens (one each 0.5 s).
            await().until(() -> meters.get("discovery.ratelimit.delayed").counter().count() >= ids.size() - 1);
            int live = ids.get(6); // its token comes after those of the five before it
            for (int id : ids.subList(1, ids.size())) {
                if (id != live) {
                    h2.rst(id, RawH2.CANCEL);
                }
            }
            await().until(() -> meters.find("grpc.server.handled").tag("grpc_code", "Canceled").counter() != null
                    && meters.find("grpc.server.handled").tag("grpc_code", "Canceled").counter().count() >= 50);
            // The waits of the cancelled calls before it have ended by the time it is answered: the server met calls
            // that are gone and answered none of them.
            assertThat(h2.stream(live).await(30).grpcStatus()).isZero();
        }
        assertThat(logs.errors()).isEmpty();
    }

    @Test
    void malformedCallsPayTheirRateLimitTokenLikeGoodOnes() throws Exception {
        // One token per 100 s after a burst of 3: nothing refills during the test, however slow the machine.
        start("--ip-rate-limit=0.01", "--ip-rate-burst=3");
        try (RawH2 h2 = RawH2.connect(server.grpcPort())) {
            byte[] garbage = RawH2.grpcFrame(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThat(h2.call("Hello", garbage, "grpc-timeout", "5S").grpcStatus()).isEqualTo(13);
            assertThat(h2.call("Hello", new byte[]{0, 0, 0}, "grpc-timeout", "5S").grpcStatus()).isEqualTo(13);
            assertThat(h2.call("Watch", garbage, "grpc-timeout", "5S").grpcStatus()).isEqualTo(13);
            // The burst is spent: a good call and another bad one are refused alike, the bad one unread.
            RawH2.Stream good = h2.call("Hello", RawH2.grpcFrame(MalformedCallsTest.hello("x")), "grpc-timeout", "1S");
            assertThat(good.grpcStatus()).as(good.toString()).isEqualTo(8);
            RawH2.Stream bad = h2.call("AffiliateUpdate", garbage, "grpc-timeout", "1S");
            assertThat(bad.grpcStatus()).as(bad.toString()).isEqualTo(8);
            assertThat(bad.grpcMessage()).contains("rate limit");
        }
        assertThat(logs.errors()).isEmpty();
    }
}
