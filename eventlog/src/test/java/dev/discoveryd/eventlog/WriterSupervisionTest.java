package dev.discoveryd.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.MutableClock;
import dev.discoveryd.core.TestEvents;
import dev.discoveryd.core.port.EventLogContract;
import dev.discoveryd.crypto.KeyRing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 items 10 and 11: the writer thread is supervised. An Error on it, or a failed fsync, stops the log for
 * writes at once and visibly: every pending and later append fails with the reason, {@link ChronicleEventLog#failure}
 * says why (readiness reports it), and a restart opens the log cleanly.
 */
@Timeout(60) // before supervision, the dead writer left appends and close() waiting forever
class WriterSupervisionTest {
    private final KeyRing keys = KeyRing.generate(1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-19T10:00:00Z"));
    private final TestEvents events = new TestEvents(7);

    @TempDir
    Path dataDir;

    /** Throws {@code fault} from the writer's path the next {@code times} times the hook runs. */
    private static final class Armed implements WriterFaults {
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger syncs = new AtomicInteger();
        volatile Throwable writeFault;
        volatile RuntimeException syncFault;

        @Override
        public void beforeWrite() {
            if (writes.getAndDecrement() > 0) {
                throwUnchecked(writeFault);
            }
        }

        @Override
        public void beforeSync() {
            if (syncs.getAndDecrement() > 0) {
                throw syncFault;
            }
        }

        private static void throwUnchecked(Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) t;
        }
    }

    private LogOptions options(SyncPolicy policy, WriterFaults faults) {
        return LogOptions.defaults(dataDir, keys).withClock(clock).withSync(policy, Duration.ofSeconds(1)).withFaults(faults);
    }

    private static Throwable failureOf(CompletableFuture<LogPosition> append) {
        assertThat(append).failsWithin(Duration.ofSeconds(5));
        try {
            append.get(0, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anErrorOnTheWriterThreadFailsPendingAndLaterAppends() {
        Armed faults = new Armed();
        try (ChronicleEventLog log = ChronicleEventLog.open(options(SyncPolicy.PERIODIC, faults))) {
            log.append(events.next()).join();
            faults.writeFault = new AssertionError("injected writer fault");
            faults.writes.set(1);
            List<CompletableFuture<LogPosition>> pending = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pending.add(log.append(events.next()));
            }
            // The append that met the fault and every one behind it fail promptly with the reason: none hangs.
            assertThat(failureOf(pending.get(0))).isInstanceOf(EventLogException.class)
                    .hasMessageContaining("writer stopped").hasMessageContaining("injected writer fault");
            pending.forEach(p -> assertThat(p).failsWithin(Duration.ofSeconds(5)));
            assertThat(failureOf(log.append(events.next()))).hasMessageContaining("writer stopped");
            assertThat(log.failure()).contains("injected writer fault");
        }
        try (ChronicleEventLog reopened = ChronicleEventLog.open(options(SyncPolicy.PERIODIC, WriterFaults.NONE))) {
            assertThat(reopened.failure()).isNull();
            assertThat(EventLogContract.replayAll(reopened)).hasSize(1);
            assertThat(reopened.append(events.next())).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFailedFsyncStopsAcceptingWritesEvenWhenTheDiskRecovers() {
        Armed faults = new Armed();
        try (ChronicleEventLog log = ChronicleEventLog.open(options(SyncPolicy.ALWAYS, faults))) {
            LogPosition first = log.append(events.next()).join();
            faults.syncFault = new UncheckedIOException(new IOException("Input/output error"));
            faults.syncs.set(1); // one failed fsync only: the next one would succeed
            assertThat(failureOf(log.append(events.next()))).isInstanceOf(EventLogException.class)
                    .hasMessageContaining("fsync failed").hasMessageContaining("Input/output error");
            // Pages the kernel failed to write may be dropped while marked clean: a later fsync succeeding proves
            // nothing about them, so the log takes no more changes (the PostgreSQL answer since "fsyncgate").
            assertThat(failureOf(log.append(events.next()))).hasMessageContaining("fsync failed");
            assertThat(log.failure()).contains("fsync failed");
            // The refused record may be in the files, but no snapshot may claim it: the last index is the last ack.
            assertThat(log.end()).isEqualTo(first);
        }
        try (ChronicleEventLog reopened = ChronicleEventLog.open(options(SyncPolicy.ALWAYS, WriterFaults.NONE))) {
            assertThat(reopened.append(events.next())).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFailedPeriodicFsyncAlsoStopsWrites() {
        Armed faults = new Armed();
        try (ChronicleEventLog log = ChronicleEventLog.open(options(SyncPolicy.PERIODIC, faults))) {
            log.append(events.next()).join();
            faults.syncFault = new UncheckedIOException(new IOException("Input/output error"));
            faults.syncs.set(1);
            clock.advance(Duration.ofSeconds(2));
            // The writer syncs when it next looks at the clock (after a batch, or when its park times out); this append may
            // be acknowledged before that sync fails, or refused after.
            log.append(events.next()).handle((index, e) -> null).join();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (log.failure() == null && System.nanoTime() < giveUp) {
                Thread.onSpinWait();
            }
            assertThat(failureOf(log.append(events.next()))).hasMessageContaining("fsync failed");
            assertThat(log.failure()).contains("fsync failed");
        }
    }
}
