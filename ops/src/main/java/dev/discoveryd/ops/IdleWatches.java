package dev.discoveryd.ops;

import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.WatchRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle nodes as the server sees them between changes: {@code connections} connections, each with one Watch (ten
 * watchers per cluster, as a fleet of 10-node clusters), opened and then left alone; the server process's RSS
 * before and after gives its memory per idle watching connection.
 */
final class IdleWatches {
    /** RSS in bytes before the connections and after they all had their snapshot and settled. */
    record Result(int connections, int failed, long rssBefore, long rssAfter, double openSeconds) {
        double bytesPerConnection() {
            return (double) (rssAfter - rssBefore) / Math.max(1, connections - failed);
        }

        @Override
        public String toString() {
            return String.format("%d idle connections each with a Watch (%d failed), open in %.1f s: server RSS %.1f -> "
                            + "%.1f MiB = %.1f KiB per connection", connections, failed, openSeconds, rssBefore / 1048576.0,
                    rssAfter / 1048576.0, bytesPerConnection() / 1024);
        }
    }

    /** At most this many connections being opened at once, as a fleet that comes up over a short while. */
    private static final int OPENING = 200;

    static Result run(Vertx vertx, SocketAddress server, long serverPid, int connections, long settleMillis)
            throws Exception {
        ProcStats before = ProcStats.read(serverPid);
        List<GrpcClient> clients = new ArrayList<>(connections);
        Semaphore opening = new Semaphore(OPENING);
        CountDownLatch subscribed = new CountDownLatch(connections);
        AtomicInteger failed = new AtomicInteger();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < connections; i++) {
                if (!opening.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("connections stopped opening after " + i);
                }
                // One client each: its own HTTP/2 connection, not streams multiplexed over a few.
                GrpcClient grpc = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                        .setHttp2ClearTextUpgrade(false).setConnectTimeout(10_000));
                clients.add(grpc);
                boolean[] first = {true};
                ClusterGrpcClient.create(grpc, server)
                        .watch(WatchRequest.newBuilder().setClusterId("idle-" + i / 10).build())
                        .onSuccess(stream -> {
                            stream.handler(m -> {
                                if (first[0]) {
                                    first[0] = false;
                                    opening.release();
                                    subscribed.countDown();
                                }
                            });
                            stream.exceptionHandler(e -> {
                                if (first[0]) {
                                    first[0] = false;
                                    fail(failed, opening, subscribed, e);
                                }
                            });
                        })
                        .onFailure(e -> fail(failed, opening, subscribed, e));
            }
            if (!subscribed.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (connections - subscribed.getCount()) + " of " + connections
                        + " watches had their snapshot");
            }
            double open = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(settleMillis);
            ProcStats after = ProcStats.read(serverPid);
            return new Result(connections, failed.get(), before.rssBytes(), after.rssBytes(), open);
        } finally {
            for (GrpcClient c : clients) {
                c.close();
            }
        }
    }

    private static void fail(AtomicInteger failed, Semaphore opening, CountDownLatch subscribed, Throwable e) {
        if (failed.getAndIncrement() == 0) {
            System.err.println("an idle watch failed: " + e);
        }
        opening.release();
        subscribed.countDown();
    }

    private IdleWatches() {
    }
}
