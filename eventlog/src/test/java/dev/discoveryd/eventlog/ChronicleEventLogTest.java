package dev.discoveryd.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.MutableClock;
import dev.discoveryd.core.TestEvents;
import dev.discoveryd.core.port.EventLogContract;
import dev.discoveryd.crypto.KeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Chronicle-specific behaviour: sync policies, group commit, retention of files, key rotation. */
class ChronicleEventLogTest {
    private final KeyRing keys = KeyRing.generate(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-19T10:00:00Z"));

    @TempDir
    Path dataDir;

    private LogOptions options() {
        return LogOptions.defaults(dataDir, keys).withClock(clock);
    }

    @ParameterizedTest
    @EnumSource(SyncPolicy.class)
    void everySyncPolicyKeepsAcknowledgedEvents(SyncPolicy policy) {
        List<Event> written = new TestEvents(1).next(30);
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withSync(policy, Duration.ofMillis(5)))) {
            EventLogContract.appendAll(log, written);
            if (policy == SyncPolicy.ALWAYS) {
                assertThat(log.syncCount()).isBetween(1L, 30L);
            } else {
                assertThat(log.syncCount()).isZero(); // PERIODIC: the test clock has not moved a sync interval
            }
        }
        try (ChronicleEventLog log = ChronicleEventLog.open(options())) {
            assertThat(TestEvents.texts(EventLogContract.replayAll(log))).isEqualTo(TestEvents.texts(written));
        }
    }

    @Test
    void periodicSyncHappensOnceTheIntervalHasPassed() {
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withSync(SyncPolicy.PERIODIC, Duration.ofSeconds(1)))) {
            TestEvents events = new TestEvents(4);
            log.append(events.next()).join();
            assertThat(log.syncCount()).isZero();
            clock.advance(Duration.ofSeconds(1));
            log.append(events.next()).join();
            // The writer syncs after the batch; a replay command is served only after that.
            log.replay(log.end(), (i, e) -> { });
            assertThat(log.syncCount()).isEqualTo(1);
        }
    }

    @Test
    void groupCommitServesManyAppendsWithOneSync() throws Exception {
        try (ChronicleEventLog log = ChronicleEventLog.open(options())) {
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<LogPosition>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                TestEvents mine = new TestEvents(t);
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 200; i++) {
                        futures.add(log.append(mine.next()));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).join();
            assertThat(log.syncCount()).isPositive().isLessThan(1600);
        }
    }

    @Test
    void aBatchIsOneInboxEntrySoOneSyncServesAllItsEvents() {
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withSync(SyncPolicy.ALWAYS, Duration.ofSeconds(1)))) {
            TestEvents events = new TestEvents(9);
            log.append(events.next()).join();
            long before = log.syncCount();
            List<CompletableFuture<LogPosition>> batch = log.appendAll(events.next(64));
            CompletableFuture.allOf(batch.toArray(new CompletableFuture[0])).join();
            assertThat(log.syncCount() - before).isEqualTo(1);
            assertThat(batch.stream().map(CompletableFuture::join).toList()).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aWriteThatFailsInTheMiddleOfABatchLeavesTheRestOfItUnwritten() {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        WriterFaults thirdWriteFails = new WriterFaults() {
            @Override
            public void beforeWrite() {
                if (writes.incrementAndGet() == 3) {
                    throw new IllegalStateException("injected write failure");
                }
            }
        };
        TestEvents events = new TestEvents(10);
        List<Event> sent = events.next(5);
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withSync(SyncPolicy.ALWAYS, Duration.ofSeconds(1))
                .withFaults(thirdWriteFails))) {
            List<CompletableFuture<LogPosition>> batch = log.appendAll(sent);
            assertThat(batch.get(0)).succeedsWithin(Duration.ofSeconds(5));
            assertThat(batch.get(1)).succeedsWithin(Duration.ofSeconds(5));
            for (CompletableFuture<LogPosition> f : batch.subList(2, 5)) {
                assertThat(f).failsWithin(Duration.ofSeconds(5));
            }
            assertThat(writes.get()).as("nothing after the failed record was tried").isEqualTo(3);
            Event later = events.next();
            assertThat(log.appendAll(List.of(later)).get(0)).succeedsWithin(Duration.ofSeconds(5));
            assertThat(log.failure()).isNull();
            sent = List.of(sent.get(0), sent.get(1), later);
        }
        try (ChronicleEventLog log = ChronicleEventLog.open(options())) {
            assertThat(TestEvents.texts(EventLogContract.replayAll(log))).isEqualTo(TestEvents.texts(sent));
        }
    }

    @Test
    void concurrentAppendsGetDistinctIndexesInTheOrderReplayReturns() throws Exception {
        java.util.Map<Long, String> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withSync(SyncPolicy.NEVER, Duration.ofSeconds(1)))) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                TestEvents mine = new TestEvents(100 + t);
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 500; i++) {
                        Event e = mine.next();
                        long index = ChronicleEventLog.index(log.append(e).join());
                        assertThat(acknowledged.put(index, TestEvents.texts(List.of(e)).get(0))).isNull();
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        }
        assertThat(acknowledged).hasSize(3000);
        try (ChronicleEventLog log = ChronicleEventLog.open(options())) {
            List<String> replayed = new ArrayList<>();
            List<Long> indexes = new ArrayList<>();
            log.replay(LogPosition.START, (i, e) -> {
                indexes.add(ChronicleEventLog.index(i));
                replayed.add(TestEvents.texts(List.of(e)).get(0));
            });
            assertThat(indexes).containsExactlyElementsOf(indexes.stream().sorted().toList());
            List<String> expected = indexes.stream().map(acknowledged::get).toList();
            assertThat(replayed).isEqualTo(expected);
        }
    }

    @Test
    void closingWhileOthersAppendLeavesNoAppendUnanswered() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path dir = dataDir.resolve("round-" + round);
            ChronicleEventLog log = ChronicleEventLog.open(LogOptions.defaults(dir, keys).withClock(clock));
            List<CompletableFuture<LogPosition>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CountDownLatch going = new java.util.concurrent.CountDownLatch(4);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                TestEvents mine = new TestEvents(t);
                threads.add(new Thread(() -> {
                    going.countDown();
                    for (int i = 0; i < 2000; i++) {
                        futures.add(log.append(mine.next()));
                    }
                }));
            }
            threads.forEach(Thread::start);
            going.await();
            log.close();
            for (Thread t : threads) {
                t.join();
            }
            long ok = 0;
            for (CompletableFuture<LogPosition> f : futures) {
                try {
                    f.get(5, java.util.concurrent.TimeUnit.SECONDS);
                    ok++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(EventLogException.class).hasMessageContaining("closed");
                }
            }
            // Everything acknowledged before the close is in the log.
            try (ChronicleEventLog reopened = ChronicleEventLog.open(LogOptions.defaults(dir, keys).withClock(clock))) {
                assertThat(EventLogContract.replayAll(reopened)).hasSize((int) ok);
            }
        }
    }

    @Test
    void refusesAppendsWhileTheDiskHasLessThanTheReserveFree() throws Exception {
        long free = Files.getFileStore(dataDir).getUsableSpace();
        TestEvents events = new TestEvents(9);
        Event kept = events.next();
        try (ChronicleEventLog log = ChronicleEventLog.open(options())) {
            log.append(kept).join();
        }
        // A reserve larger than what is free: every append is refused, nothing is written, reads go on.
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withMinFree(free + (1L << 40)))) {
            assertThatThrownBy(() -> log.append(events.next()).join())
                    .hasCauseInstanceOf(EventLogException.class).hasMessageContaining("disk full")
                    .hasMessageContaining("--log-min-free");
            assertThat(EventLogContract.replayAll(log)).hasSize(1);
        }
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withMinFree(0))) {
            Event after = events.next();
            log.append(after).join();
            assertThat(TestEvents.texts(EventLogContract.replayAll(log))).isEqualTo(TestEvents.texts(List.of(kept, after)));
        }
    }

    @Test
    void retentionDeletesOnlyOldFilesBeforeTheOldestNeededIndex() throws IOException {
        LogOptions hourly = options().withRollPeriod(RollPeriod.HOURLY).withRetention(Duration.ofHours(2));
        List<Long> firstOfHour = new ArrayList<>();
        try (ChronicleEventLog log = ChronicleEventLog.open(hourly)) {
            TestEvents events = new TestEvents(5);
            for (int hour = 0; hour < 6; hour++) {
                firstOfHour.add(ChronicleEventLog.index(EventLogContract.appendAll(log, events.next(3)).get(0)));
                clock.advance(Duration.ofHours(1));
            }
            log.retainFrom(LogPosition.START);
            EventLogContract.appendAll(log, events.next(1));
            assertThat(cycleFiles()).isEqualTo(7);

            // Hours 0-3 ended more than 2 h ago, but the view still needs hour 2 onwards.
            log.retainFrom(ChronicleEventLog.position(firstOfHour.get(2)));
            List<Long> left = new ArrayList<>();
            log.replay(LogPosition.START, (i, e) -> left.add(ChronicleEventLog.index(i)));
            assertThat(cycleFiles()).isEqualTo(5);
            assertThat(left.get(0)).isEqualTo(firstOfHour.get(2));
            assertThat(left).hasSize(4 * 3 + 1);
        }
        try (ChronicleEventLog log = ChronicleEventLog.open(hourly)) {
            assertThat(EventLogContract.replayAll(log)).hasSize(13);
        }
    }

    @Test
    void rotatedKeysSealNewRecordsAndOpenOldOnes() {
        List<Event> old = new TestEvents(1).next(5);
        List<Event> newer = new TestEvents(2).next(5);
        try (ChronicleEventLog log = ChronicleEventLog.open(options())) {
            EventLogContract.appendAll(log, old);
        }
        KeyRing second = KeyRing.generate(2);
        KeyRing rotated = keys.withNewest(second);
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withKeys(rotated))) {
            EventLogContract.appendAll(log, newer);
        }
        List<Event> all = new ArrayList<>(old);
        all.addAll(newer);
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withKeys(rotated))) {
            assertThat(TestEvents.texts(EventLogContract.replayAll(log))).isEqualTo(TestEvents.texts(all));
        }
        try (ChronicleEventLog log = ChronicleEventLog.open(options().withKeys(second))) {
            assertThatThrownBy(() -> EventLogContract.replayAll(log)).isInstanceOf(EventLogException.class)
                    .hasMessageContaining("not configured");
        }
    }

    private long cycleFiles() throws IOException {
        try (Stream<Path> files = Files.list(options().logDir())) {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }
}
