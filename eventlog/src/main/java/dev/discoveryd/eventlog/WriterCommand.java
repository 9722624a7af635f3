package dev.discoveryd.eventlog;

import dev.discoveryd.core.Event;
import java.util.concurrent.CompletableFuture;

/** What callers ask of the {@link LogWriter} thread. */
sealed interface WriterCommand {
    record Append(Event event, CompletableFuture<Long> done) implements WriterCommand {
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
