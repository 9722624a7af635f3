package dev.discoveryd.service.state;

import dev.discoveryd.core.Affiliate;
import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the log cannot take a change (disk full, I/O error): nothing is applied or broadcast, reads go on, writes resume. */
class JournalFailureTest {
    private final AtomicBoolean diskFull = new AtomicBoolean();
    private final List<Event> logged = new ArrayList<>();
    private final List<Throwable> reported = new ArrayList<>();

    private final Journal journal = event -> {
        if (diskFull.get()) {
            return CompletableFuture.failedFuture(new IOException("No space left on device"));
        }
        logged.add(event);
        return CompletableFuture.completedFuture(LogPosition.of((long) logged.size()));
    };

    private final List<byte[]> broadcast = new ArrayList<>();
    private final ChangeEncoder encoder = new ChangeEncoder() {
        @Override
        public byte[] snapshot(Collection<Affiliate> affiliates) {
            return new byte[]{0};
        }

        @Override
        public byte[] updated(Affiliate affiliate) {
            return affiliate.data();
        }

        @Override
        public byte[] removed(String affiliateId) {
            return new byte[]{-1};
        }
    };

    private final ClusterRegistry registry = new ClusterRegistry(journal, encoder, new StateListener() {
        @Override
        public void journalFailed(Throwable cause) {
            reported.add(cause);
        }
    }, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void aFailedAppendChangesNothingAndWritesResumeAfterwards() throws Exception {
        registry.watch("c", new WatchSink() {
            @Override
            public void send(byte[] message) {
                broadcast.add(message);
            }

            @Override
            public void close(String reason) {
            }
        });
        registry.update("c", "a", new byte[]{1}, List.of(), Duration.ofMinutes(1), Runnable::run).get();

        diskFull.set(true);
        CompletableFuture<Void> failed = registry.update("c", "a", new byte[]{2}, List.of(), Duration.ofMinutes(1), Runnable::run);
        assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(JournalException.class);
        assertThat(registry.list("c")).singleElement().satisfies(a -> assertThat(a.data()).containsExactly(1));
        assertThat(broadcast).hasSize(2); // the snapshot and the first update only
        assertThat(reported).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("No space"));

        diskFull.set(false);
        registry.update("c", "a", new byte[]{3}, List.of(), Duration.ofMinutes(1), Runnable::run).get();
        assertThat(registry.list("c")).singleElement().satisfies(a -> assertThat(a.data()).containsExactly(3));
        assertThat(logged).hasSize(2);
        assertThat(broadcast).hasSize(3);
    }
}
