package dev.discoveryd.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.MutableClock;
import dev.discoveryd.core.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventLog} must do; each implementation runs it through one small subclass (published in core's
 * test-jar). Retention is expected to drop records that are both before the needed position and older than three
 * weeks (the subclass's log reads {@link #clock}).
 */
public abstract class EventLogContract {
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-05-19T10:00:00Z"));
    private final List<EventLog> opened = new ArrayList<>();
    private final TestEvents events = new TestEvents(42);

    /** A log over fresh, empty storage that uses {@link #clock}. */
    protected abstract EventLog create();

    /** Closes {@code log} and opens its storage again (for a memory-only log: the same log, unclosed). */
    protected abstract EventLog reopen(EventLog log);

    private EventLog track(EventLog log) {
        opened.add(log);
        return log;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(EventLog::close);
    }

    @Test
    void emptyLogHasNoIndexAndReplaysNothing() {
        EventLog log = track(create());
        assertThat(log.end()).isEqualTo(LogPosition.START);
        List<Event> seen = new ArrayList<>();
        log.replay(LogPosition.START, (i, e) -> seen.add(e));
        assertThat(seen).isEmpty();
    }

    @Test
    void appendsReplayInOrderWithIncreasingIndexes() {
        EventLog log = track(create());
        List<Event> written = events.next(50);
        List<LogPosition> indexes = appendAll(log, written);
        assertThat(indexes).isSorted().doesNotHaveDuplicates();
        assertThat(indexes.get(0)).isGreaterThan(LogPosition.START);
        assertThat(log.end()).isEqualTo(indexes.get(49));
        List<LogPosition> replayedIndexes = new ArrayList<>();
        List<Event> replayed = new ArrayList<>();
        log.replay(LogPosition.START, (i, e) -> {
            replayedIndexes.add(i);
            replayed.add(e);
        });
        assertThat(replayedIndexes).isEqualTo(indexes);
        assertThat(TestEvents.texts(replayed)).isEqualTo(TestEvents.texts(written));
    }

    @Test
    void replayAfterAnIndexTailsOnlyNewerEvents() {
        EventLog log = track(create());
        List<LogPosition> first = appendAll(log, events.next(10));
        List<Event> later = events.next(5);
        List<LogPosition> second = appendAll(log, later);
        List<LogPosition> seen = new ArrayList<>();
        List<Event> tail = new ArrayList<>();
        log.replay(first.get(9), (i, e) -> {
            seen.add(i);
            tail.add(e);
        });
        assertThat(seen).isEqualTo(second);
        assertThat(TestEvents.texts(tail)).isEqualTo(TestEvents.texts(later));
        List<LogPosition> none = new ArrayList<>();
        log.replay(log.end(), (i, e) -> none.add(i));
        assertThat(none).isEmpty();
    }

    @Test
    void aTailDeliversEachEventOnceAsItIsAppended() {
        EventLog log = track(create());
        List<LogPosition> before = appendAll(log, events.next(3));
        List<LogPosition> seen = new ArrayList<>();
        try (LogTail tail = log.tail(before.get(0))) {
            assertThat(tail.poll((p, e) -> seen.add(p))).isEqualTo(2);
            assertThat(tail.poll((p, e) -> seen.add(p))).isZero();
            List<LogPosition> later = appendAll(log, events.next(4));
            assertThat(tail.poll((p, e) -> seen.add(p))).isEqualTo(4);
            List<LogPosition> expected = new ArrayList<>(before.subList(1, 3));
            expected.addAll(later);
            assertThat(seen).isEqualTo(expected);
            tail.close();
            appendAll(log, events.next(1));
            assertThat(tail.poll((p, e) -> seen.add(p))).isZero();
        }
    }

    @Test
    void concurrentAppendsAllLandOnceEach() throws Exception {
        EventLog log = track(create());
        int threads = 8;
        int perThread = 100;
        List<CompletableFuture<LogPosition>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            TestEvents mine = new TestEvents(t);
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    futures.add(log.append(mine.next()));
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        Set<LogPosition> indexes = new HashSet<>();
        for (CompletableFuture<LogPosition> f : futures) {
            indexes.add(f.get(10, TimeUnit.SECONDS));
        }
        assertThat(indexes).hasSize(threads * perThread);
        Set<LogPosition> replayed = new HashSet<>();
        log.replay(LogPosition.START, (i, e) -> replayed.add(i));
        assertThat(replayed).isEqualTo(indexes);
    }

    @Test
    void restartKeepsEverythingAndContinuesAfterIt() {
        EventLog log = create();
        List<Event> before = events.next(20);
        List<LogPosition> beforeIdx = appendAll(log, before);
        log = track(reopen(log));
        assertThat(log.end()).isEqualTo(beforeIdx.get(19));
        List<Event> after = events.next(5);
        List<LogPosition> afterIdx = appendAll(log, after);
        assertThat(afterIdx.get(0)).isGreaterThan(beforeIdx.get(19));
        List<Event> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(TestEvents.texts(replayAll(log))).isEqualTo(TestEvents.texts(all));
    }

    @Test
    void eventsSurviveRollCyclesAndRetentionKeepsWhatIsNeeded() {
        EventLog log = track(create());
        List<Event> written = new ArrayList<>();
        List<LogPosition> indexes = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            List<Event> batch = events.next(4);
            written.addAll(batch);
            indexes.addAll(appendAll(log, batch));
            clock.advance(Duration.ofDays(9));
        }
        assertThat(indexes).isSorted().doesNotHaveDuplicates();
        assertThat(TestEvents.texts(replayAll(log))).isEqualTo(TestEvents.texts(written));
        LogPosition keepFrom = indexes.get(8);
        log.retainFrom(keepFrom);
        List<LogPosition> replayed = new ArrayList<>();
        log.replay(LogPosition.START, (i, e) -> replayed.add(i));
        assertThat(replayed).containsAll(indexes.subList(8, 12));
        assertThat(replayed).isSorted();
        // The first day's records are before the needed position and 27 days old: a retention must drop them.
        assertThat(replayed).doesNotContainAnyElementsOf(indexes.subList(0, 4));
    }

    @Test
    void appendAfterCloseFails() {
        EventLog log = create();
        log.close();
        CompletableFuture<LogPosition> f = log.append(events.next());
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(LogException.class);
        assertThatThrownBy(() -> log.replay(LogPosition.START, (i, e) -> { })).isInstanceOf(LogException.class);
    }

    public static List<LogPosition> appendAll(EventAppender log, List<Event> events) {
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>();
        for (Event e : events) {
            futures.add(log.append(e));
        }
        return futures.stream().map(CompletableFuture::join).collect(java.util.stream.Collectors.toList());
    }

    public static List<Event> replayAll(EventReader log) {
        List<Event> out = new ArrayList<>();
        log.replay(LogPosition.START, (i, e) -> out.add(e));
        return out;
    }
}
