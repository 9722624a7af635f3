package dev.discoveryd.service.grpc;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LoopMailboxTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFailingTaskDoesNotStrandTheTasksBehindIt() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<LoopMailbox> mailbox = new CompletableFuture<>();
        context.runOnContext(v -> mailbox.complete(LoopMailbox.of(context)));
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        // Posted from one task on the loop, so all three land in the same drain.
        context.runOnContext(v -> {
            LoopMailbox m = mailbox.join();
            m.post(() -> ran.add("first"));
            m.post(() -> {
                throw new IllegalStateException("stream already closed");
            });
            m.post(() -> {
                ran.add("third");
                done.countDown();
            });
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).as("the task after the failing one ran").isTrue();
        assertThat(ran).containsExactly("first", "third");
    }

    @Test
    void aLoopThatRefusesTasksHasThemRunInline() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<LoopMailbox> mailbox = new CompletableFuture<>();
        context.runOnContext(v -> mailbox.complete(LoopMailbox.of(context)));
        LoopMailbox m = mailbox.get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<String> ran = new CopyOnWriteArrayList<>();
        m.post(() -> ran.add("first"));
        m.post(() -> ran.add("second")); // would wait forever behind a drain that was never scheduled
        assertThat(ran).containsExactly("first", "second");
    }
}
