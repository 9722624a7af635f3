package dev.discoveryd.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.TestEvents;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the service's cluster runtimes rely on from the appender they journal through: a future per event (never a
 * blocked or throwing caller), completed in append order with increasing positions, and batches
 * ({@link EventAppender#appendAll}) that keep that order among themselves and with single appends. One small subclass
 * per appender.
 */
public abstract class JournalContract {
    private final TestEvents events = new TestEvents(7);
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** An appender over fresh, empty storage. */
    protected abstract EventAppender create();

    private EventAppender track(EventAppender appender) {
        if (appender instanceof AutoCloseable c) {
            opened.add(c);
        }
        return appender;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    @Test
    void futuresCompleteInAppendOrderWithIncreasingPositions() throws Exception {
        EventAppender journal = track(create());
        // A callback registered after append() may run at once on this thread (the future already done) while the
        // writer completes later futures, so a shared "completion order" list would race. Each callback instead checks
        // the one thing append order means: when a future completes, the one appended before it already has.
        List<String> outOfOrder = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>();
        CompletableFuture<LogPosition> previous = null;
        int i = 0;
        for (Event e : events.next(200)) {
            CompletableFuture<LogPosition> f = journal.append(e);
            CompletableFuture<LogPosition> before = previous;
            int n = i++;
            f.whenComplete((p, err) -> {
                if (before != null && !before.isDone()) {
                    outOfOrder.add("append #" + n + " completed before #" + (n - 1));
                }
            });
            futures.add(f);
            previous = f;
        }
        List<LogPosition> returned = new ArrayList<>();
        for (CompletableFuture<LogPosition> f : futures) {
            returned.add(f.get(10, TimeUnit.SECONDS));
        }
        assertThat(returned).isSorted().doesNotHaveDuplicates();
        assertThat(returned.get(0)).isGreaterThan(LogPosition.START);
        assertThat(outOfOrder).isEmpty();
    }

    @Test
    void batchesAndSingleAppendsInterleaveInCallOrderWithIncreasingPositions() throws Exception {
        EventAppender journal = track(create());
        List<String> outOfOrder = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<LogPosition>> futures = new ArrayList<>();
        CompletableFuture<LogPosition> previous = null;
        int n = 0;
        for (int call = 0; call < 60; call++) {
            // Batches of 0 to 9 events, every third call a single append.
            List<CompletableFuture<LogPosition>> returned = call % 3 == 2 ? List.of(journal.append(events.next()))
                    : journal.appendAll(events.next(call % 10));
            for (CompletableFuture<LogPosition> f : returned) {
                CompletableFuture<LogPosition> before = previous;
                int i = n++;
                f.whenComplete((p, err) -> {
                    if (before != null && !before.isDone()) {
                        outOfOrder.add("event #" + i + " completed before #" + (i - 1));
                    }
                });
                futures.add(f);
                previous = f;
            }
        }
        List<LogPosition> positions = new ArrayList<>();
        for (CompletableFuture<LogPosition> f : futures) {
            positions.add(f.get(10, TimeUnit.SECONDS));
        }
        assertThat(positions).hasSize(n).isSorted().doesNotHaveDuplicates();
        assertThat(outOfOrder).isEmpty();
    }

    @Test
    void anEmptyBatchReturnsNoFutureAndLaterAppendsGoOn() throws Exception {
        EventAppender journal = track(create());
        assertThat(journal.appendAll(List.of())).isEmpty();
        assertThat(journal.append(events.next()).get(10, TimeUnit.SECONDS)).isGreaterThan(LogPosition.START);
    }

    @Test
    void aCallbackThatThrowsDoesNotStopLaterAppends() throws Exception {
        EventAppender journal = track(create());
        journal.append(events.next()).thenAccept(p -> {
            throw new IllegalStateException("a careless callback");
        });
        LogPosition later = journal.append(events.next()).get(10, TimeUnit.SECONDS);
        assertThat(later).isGreaterThan(LogPosition.START);
    }
}
