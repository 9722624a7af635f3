package dev.discoveryd.core.port;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.TestEvents;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The default {@link EventAppender#appendAll}: one append per event, acknowledged as a prefix. */
class DefaultAppendAllTest {
    private final TestEvents events = new TestEvents(3);

    /** Appends whose futures the test completes by hand, in any order. */
    private static final class HeldAppender implements EventAppender {
        final List<CompletableFuture<LogPosition>> held = new ArrayList<>();

        @Override
        public CompletableFuture<LogPosition> append(Event event) {
            CompletableFuture<LogPosition> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }
    }

    @Test
    void aFailureInTheMiddleFailsEveryLaterEventOfTheCallEvenIfItsOwnAppendLanded() {
        HeldAppender log = new HeldAppender();
        List<CompletableFuture<LogPosition>> batch = log.appendAll(events.next(4));
        assertThat(log.held).hasSize(4);
        log.held.get(3).complete(LogPosition.of(4));
        log.held.get(2).complete(LogPosition.of(3));
        assertThat(batch.get(2)).isNotDone(); // not before the ones ahead of it
        log.held.get(0).complete(LogPosition.of(1));
        log.held.get(1).completeExceptionally(new LogException("disk full"));
        assertThat(batch.get(0)).isCompletedWithValue(LogPosition.of(1));
        assertThat(batch.subList(1, 4)).allMatch(CompletableFuture::isCompletedExceptionally);
    }

    @Test
    void anAppendRefusedAtOnceStopsTheRestOfTheCall() {
        List<Event> seen = new ArrayList<>();
        EventAppender refusing = event -> {
            seen.add(event);
            return seen.size() == 2 ? CompletableFuture.failedFuture(new LogException("closed"))
                    : CompletableFuture.completedFuture(LogPosition.of(seen.size()));
        };
        List<CompletableFuture<LogPosition>> batch = refusing.appendAll(events.next(5));
        assertThat(seen).hasSize(2);
        assertThat(batch).hasSize(5);
        assertThat(batch.get(0)).isCompletedWithValue(LogPosition.of(1));
        assertThat(batch.subList(1, 5)).allMatch(CompletableFuture::isCompletedExceptionally);
    }

    @Test
    void anAppendThatThrowsFailsItsFutureInsteadOfTheCaller() {
        EventAppender throwing = event -> {
            throw new IllegalStateException("bug");
        };
        List<CompletableFuture<LogPosition>> batch = throwing.appendAll(events.next(2));
        assertThat(batch).allMatch(CompletableFuture::isCompletedExceptionally);
    }
}
