package dev.discoveryd.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.Event;
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

/** What every {@link EventLog} must do; each implementation runs it through one small subclass. */
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
        assertThat(log.lastIndex()).isEqualTo(EventLog.NO_INDEX);
        List<Event> seen = new ArrayList<>();
        log.replay(EventLog.NO_INDEX, (i, e) -> seen.add(e));
        assertThat(seen).isEmpty();
    }

    @Test
    void appendsReplayInOrderWithIncreasingIndexes() {
        EventLog log = track(create());
        List<Event> written = events.next(50);
        List<Long> indexes = appendAll(log, written);
        assertThat(indexes).isSorted().doesNotHaveDuplicates();
        assertThat(indexes.get(0)).isGreaterThanOrEqualTo(0);
        assertThat(log.lastIndex()).isEqualTo(indexes.get(49));
        List<Long> replayedIndexes = new ArrayList<>();
        List<Event> replayed = new ArrayList<>();
        log.replay(EventLog.NO_INDEX, (i, e) -> {
            replayedIndexes.add(i);
            replayed.add(e);
        });
        assertThat(replayedIndexes).isEqualTo(indexes);
        assertThat(TestEvents.texts(replayed)).isEqualTo(TestEvents.texts(written));
    }

    @Test
    void replayAfterAnIndexTailsOnlyNewerEvents() {
        EventLog log = track(create());
        List<Long> first = appendAll(log, events.next(10));
        List<Event> later = events.next(5);
        List<Long> second = appendAll(log, later);
        List<Long> seen = new ArrayList<>();
        List<Event> tail = new ArrayList<>();
        log.replay(first.get(9), (i, e) -> {
            seen.add(i);
            tail.add(e);
        });
        assertThat(seen).isEqualTo(second);
        assertThat(TestEvents.texts(tail)).isEqualTo(TestEvents.texts(later));
        List<Long> none = new ArrayList<>();
        log.replay(log.lastIndex(), (i, e) -> none.add(i));
        assertThat(none).isEmpty();
    }

    @Test
    void concurrentAppendsAllLandOnceEach() throws Exception {
        EventLog log = track(create());
        int threads = 8;
        int perThread = 100;
        List<CompletableFuture<Long>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
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
        Set<Long> indexes = new HashSet<>();
        for (CompletableFuture<Long> f : futures) {
            indexes.add(f.get(10, TimeUnit.SECONDS));
        }
        assertThat(indexes).hasSize(threads * perThread);
        Set<Long> replayed = new HashSet<>();
        log.replay(EventLog.NO_INDEX, (i, e) -> replayed.add(i));
        assertThat(replayed).isEqualTo(indexes);
    }

    @Test
    void restartKeepsEverythingAndContinuesAfterIt() {
        EventLog log = create();
        List<Event> before = events.next(20);
        List<Long> beforeIdx = appendAll(log, before);
        log = track(reopen(log));
        assertThat(log.lastIndex()).isEqualTo(beforeIdx.get(19));
        List<Event> after = events.next(5);
        List<Long> afterIdx = appendAll(log, after);
        assertThat(afterIdx.get(0)).isGreaterThan(beforeIdx.get(19));
        List<Event> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(TestEvents.texts(replayAll(log))).isEqualTo(TestEvents.texts(all));
    }

    @Test
    void eventsSurviveRollCyclesAndRetentionKeepsWhatIsNeeded() {
        EventLog log = track(create());
        List<Event> written = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            List<Event> batch = events.next(4);
            written.addAll(batch);
            indexes.addAll(appendAll(log, batch));
            clock.advance(Duration.ofDays(9));
        }
        assertThat(indexes).isSorted().doesNotHaveDuplicates();
        assertThat(TestEvents.texts(replayAll(log))).isEqualTo(TestEvents.texts(written));
        long keepFrom = indexes.get(8);
        log.retainFrom(keepFrom);
        List<Long> replayed = new ArrayList<>();
        log.replay(EventLog.NO_INDEX, (i, e) -> replayed.add(i));
        assertThat(replayed).containsAll(indexes.subList(8, 12));
        assertThat(replayed).isSorted();
    }

    @Test
    void appendAfterCloseFails() {
        EventLog log = create();
        log.close();
        CompletableFuture<Long> f = log.append(events.next());
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EventLogException.class);
        assertThatThrownBy(() -> log.replay(EventLog.NO_INDEX, (i, e) -> { })).isInstanceOf(EventLogException.class);
    }

    protected static List<Long> appendAll(EventLog log, List<Event> events) {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (Event e : events) {
            futures.add(log.append(e));
        }
        return futures.stream().map(CompletableFuture::join).collect(java.util.stream.Collectors.toList());
    }

    protected static List<Event> replayAll(EventLog log) {
        List<Event> out = new ArrayList<>();
        log.replay(EventLog.NO_INDEX, (i, e) -> out.add(e));
        return out;
    }
}
