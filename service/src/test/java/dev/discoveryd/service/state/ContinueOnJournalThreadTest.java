package dev.discoveryd.service.state;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journal that completes its writes on a thread of its own and lets a cluster with changes waiting go on there (the
 * event log's writer): the batch that queued behind a write is decided and appended on that thread as soon as the
 * write lands, without
 * a round trip through the callers' continuation, which gets one task with its answers per batch; and a failed write
 * still fails exactly its own changes.
 */
class ContinueOnJournalThreadTest {
    private static final String JOURNAL_THREAD = "test-journal-writer";

    /** One appendAll call: the thread that made it, its events and their futures. */
    private record Call(String thread, List<Event> events, List<CompletableFuture<LogPosition>> futures) {
    }

    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, JOURNAL_THREAD));
    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final Journal journal = new Journal() {
        @Override
        public CompletableFuture<LogPosition> append(Event event) {
            return appendAll(List.of(event)).get(0);
        }

        @Override
        public List<CompletableFuture<LogPosition>> appendAll(List<Event> events) {
            List<CompletableFuture<LogPosition>> futures = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                futures.add(new CompletableFuture<>());
            }
            calls.add(new Call(Thread.currentThread().getName(), List.copyOf(events), futures));
            return futures;
        }

        @Override
        public boolean continuesOnCompletingThread() {
            return true;
        }
    };
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final ClusterRegistry registry = new ClusterRegistry(journal, new NoBytesEncoder(), StateListener.NONE, clock);
    /** One caller's event loop: runs its tasks at once, and counts them. */
    private final java.util.concurrent.atomic.AtomicInteger loopTasks = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.Executor loop = task -> {
        loopTasks.incrementAndGet();
        task.run();
    };

    @AfterEach
    void stopWriter() throws InterruptedException {
        writer.shutdownNow();
        assertThat(writer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private CompletableFuture<Void> update(String affiliate) {
        return registry.update("c", affiliate, new byte[]{1}, List.of(), Duration.ofMinutes(5), loop);
    }

    /** Lands {@code call} on the journal's thread: its events from {@code failFrom} on fail (-1: none). */
    private void land(Call call, int failFrom) throws Exception {
        writer.submit(() -> {
            for (int i = 0; i < call.events().size(); i++) {
                if (failFrom >= 0 && i >= failFrom) {
                    call.futures().get(i).completeExceptionally(new IllegalStateException("injected: disk full"));
                } else {
                    call.futures().get(i).complete(LogPosition.of(i + 1L));
                }
            }
        }).get(5, TimeUnit.SECONDS);
    }

    private Call nextCall() throws InterruptedException {
        Call call = calls.poll(5, TimeUnit.SECONDS);
        assertThat(call).as("a journal call").isNotNull();
        return call;
    }

    @Test
    void theBatchThatQueuedIsAppendedOnTheJournalThreadWhenTheWriteBeforeItLands() throws Exception {
        CompletableFuture<Void> first = update("a0");
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            queued.add(update("a" + i));
        }
        Call one = nextCall();
        assertThat(one.thread()).isNotEqualTo(JOURNAL_THREAD); // the caller's own, the cluster being idle
        assertThat(one.events()).hasSize(1);

        land(one, -1);
        assertThat(first).succeedsWithin(Duration.ofSeconds(5));
        Call two = nextCall();
        assertThat(two.thread()).as("the next batch, straight from the landing write").isEqualTo(JOURNAL_THREAD);
        assertThat(two.events()).hasSize(4);
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        assertThat(registry.list("c")).hasSize(1); // memory never runs ahead of the log

        land(two, -1);
        for (CompletableFuture<Void> q : queued) {
            assertThat(q).succeedsWithin(Duration.ofSeconds(5));
        }
        assertThat(registry.list("c")).hasSize(5);
        // One to start the idle cluster; the last batch, with nothing behind it, resumes on the loop (one task) and
        // answers its four changes in one more; the first batch, with changes waiting, came back through none.
        assertThat(loopTasks).hasValue(3);
        assertThat(registry.awaitWritesStartedBefore(Duration.ofMillis(50))).isZero();
    }

    @Test
    void aFailedWriteFailsItsOwnChangesAndTheNextBatchStillGoesOn() throws Exception {
        update("a0");
        List<CompletableFuture<Void>> batch = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            batch.add(update("a" + i));
        }
        land(nextCall(), -1);
        Call two = nextCall();
        CompletableFuture<Void> later = update("late"); // queues behind the batch in flight
        land(two, 1); // a1 recorded, a2 and a3 not

        assertThat(batch.get(0)).succeedsWithin(Duration.ofSeconds(5));
        for (CompletableFuture<Void> f : batch.subList(1, 3)) {
            assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .withCauseInstanceOf(JournalException.class);
        }
        Call three = nextCall();
        assertThat(three.thread()).isEqualTo(JOURNAL_THREAD);
        assertThat(three.events()).extracting(Event::affiliateId).containsExactly("late");
        land(three, -1);
        assertThat(later).succeedsWithin(Duration.ofSeconds(5));
        assertThat(registry.list("c")).extracting(a -> a.id()).containsExactlyInAnyOrder("a0", "a1", "late");
        // The start, the three-change batch's answers as one task, the last batch's resumption on the loop.
        assertThat(loopTasks).hasValue(3);
    }
}
