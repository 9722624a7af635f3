package dev.discoveryd.service.grpc;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watcher's backlog against a scripted stream, on a real event loop: what waits for the client counts against
 * {@code --watch-queue}, what waits for the loop does not, and the backlog moves even when the stream never reports
 * that its write queue has room again (Vert.x 5.0.7 sometimes does not).
 */
class GrpcWatcherTest {
    private static final byte[] IP = {127, 0, 0, 1};

    private final Vertx vertx = Vertx.vertx();
    private final Context loop = vertx.getOrCreateContext();
    private final ScriptedStream stream = new ScriptedStream();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private GrpcWatcher watcher(int limit) throws Exception {
        WatchBudget budget = new WatchBudget(1 << 20, 1 << 22, 1 << 24, new SimpleMeterRegistry());
        return onLoop(() -> new GrpcWatcher(loop, stream, limit, budget, IP, () -> { }, () -> { }, size -> { }));
    }

    /** Runs on the loop after everything queued there before (the watcher's hand-offs included). */
    private <T> T onLoop(Supplier<T> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        loop.runOnContext(v -> done.complete(task.get()));
        return done.get(5, TimeUnit.SECONDS);
    }

    private void settle() throws Exception {
        onLoop(() -> null);
        onLoop(() -> null); // an end() queues one more task
    }

    private static byte[] message(int i) {
        return new byte[] {0, 0, 0, 0, 1, (byte) i};
    }

    @Test
    void theBacklogMovesWhenAWriteCompletesEvenWithoutADrainEvent() throws Exception {
        GrpcWatcher w = watcher(32);
        w.send(message(0));
        settle();
        assertThat(stream.written()).containsExactly(0);

        onLoop(() -> stream.full = true);
        w.send(message(1));
        w.send(message(2));
        settle();
        assertThat(stream.written()).as("held back while the write queue is full").containsExactly(0);

        // The queue has room again, but the stream says nothing: only the first write's completion is seen.
        onLoop(() -> {
            stream.full = false;
            stream.pending.get(0).complete();
            return null;
        });
        settle();
        assertThat(stream.written()).containsExactly(0, 1, 2);
        assertThat(stream.ended).isNull();
    }

    @Test
    void aNewMessageFirstWritesWhatWaitedInOrder() throws Exception {
        GrpcWatcher w = watcher(32);
        onLoop(() -> stream.full = true);
        w.send(message(0));
        w.send(message(1));
        settle();
        onLoop(() -> stream.full = false); // again no drain event, and nothing in flight to complete
        w.send(message(2));
        settle();
        assertThat(stream.written()).containsExactly(0, 1, 2);
    }

    @Test
    void messagesWaitingForTheLoopDoNotCountAgainstTheQueue() throws Exception {
        GrpcWatcher w = watcher(4);
        CountDownLatch busy = new CountDownLatch(1);
        loop.runOnContext(v -> {
            try {
                busy.await(5, TimeUnit.SECONDS); // the loop does not get the CPU for a while
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 20; i++) {
            w.send(message(i));
        }
        busy.countDown();
        settle();
        assertThat(stream.written()).hasSize(20);
        assertThat(stream.ended).as("a watcher whose client reads is not ended").isNull();
    }

    @Test
    void moreThanTheQueueWaitingForTheClientIsAborted() throws Exception {
        GrpcWatcher w = watcher(4);
        onLoop(() -> stream.full = true); // a client that grants no window
        for (int i = 0; i < 4; i++) {
            w.send(message(i));
        }
        settle();
        assertThat(stream.ended).as("four waiting is within the queue").isNull();
        w.send(message(4));
        settle();
        assertThat(stream.ended).isEqualTo(GrpcStatus.ABORTED);
        assertThat(stream.endMessage).isEqualTo("lost update");
        assertThat(stream.written()).isEmpty();
    }

    /** A stream whose write queue is full when the test says so, and that never fires its drain handler. */
    private static final class ScriptedStream implements WatchStream {
        volatile boolean full;
        final List<byte[]> sent = new CopyOnWriteArrayList<>();
        final List<Promise<Void>> pending = new CopyOnWriteArrayList<>();
        volatile GrpcStatus ended;
        volatile String endMessage;

        List<Integer> written() {
            List<Integer> out = new ArrayList<>();
            for (byte[] m : sent) {
                out.add((int) m[5]);
            }
            return out;
        }

        @Override
        public Future<Void> send(Buffer framed) {
            sent.add(framed.getBytes());
            Promise<Void> p = Promise.promise();
            pending.add(p);
            return p.future();
        }

        @Override
        public boolean writeQueueFull() {
            return full;
        }

        @Override
        public void drainHandler(Runnable handler) {
            // never called: the case the watcher must survive
        }

        @Override
        public void whenClosed(Runnable hook) {
        }

        @Override
        public void finish(GrpcStatus status, String message) {
            ended = status;
            endMessage = message;
        }

        @Override
        public void reset(long code, GrpcStatus status) {
            ended = status;
        }

        @Override
        public boolean isOver() {
            return ended != null;
        }
    }
}
