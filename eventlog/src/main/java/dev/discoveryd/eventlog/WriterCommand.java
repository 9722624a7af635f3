package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What callers ask of the {@link LogWriter} thread. */
sealed interface WriterCommand {
    /**
     * One caller's events, written in order as one unit of the writer's batch: once one of them fails to be written,
     * the rest are not tried (the callers rely on a prefix being acknowledged). One future per event.
     */
    record Append(List<Event> events, List<CompletableFuture<LogPosition>> done) implements WriterCommand {
    }

    record Replay(long afterIndex, LogConsumer consumer, CompletableFuture<Void> done) implements WriterCommand {
    }

    record CheckHead(LogHead head, CompletableFuture<String> done) implements WriterCommand {
    }

    record SyncHead(CompletableFuture<LogHead> done) implements WriterCommand {
    }

    record Retain(long oldestNeededIndex) implements WriterCommand {
    }

    record Close(CompletableFuture<Void> done) implements WriterCommand {
    }
}
