package dev.discoveryd.core.port;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.LogOptions;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's retention test is not one that cannot fail: run against the Chronicle log with its retention turned
 * into a no-op, it fails; against the real one it passes. (Here, in the contract's package, to call the test itself.)
 */
class RetentionContractCanFailTest {
    private static final KeyRing KEYS = KeyRing.generate(1);

    @TempDir
    Path dir;

    /** The Chronicle log's contract run, with {@code retains} false: a retention that deletes nothing. */
    static final class Run extends EventLogContract {
        private final Path dir;
        private final boolean retains;

        Run(Path dir, boolean retains) {
            this.dir = dir;
            this.retains = retains;
        }

        @Override
        protected EventLog create() {
            EventLog real = ChronicleEventLog.open(LogOptions.defaults(dir, KEYS).withClock(clock));
            return retains ? real : new EventLog() {
                @Override
                public CompletableFuture<LogPosition> append(Event event) {
                    return real.append(event);
                }

                @Override
                public void replay(LogPosition after, LogConsumer consumer) {
                    real.replay(after, consumer);
                }

                @Override
                public LogPosition end() {
                    return real.end();
                }

                @Override
                public void retainFrom(LogPosition oldestNeeded) {
                    // keeps everything
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }

        @Override
        protected EventLog reopen(EventLog log) {
            log.close();
            return create();
        }
    }

    @Test
    void aRetentionThatDeletesNothingFailsTheContract() {
        Run run = new Run(dir.resolve("noop"), false);
        try {
            assertThatThrownBy(run::eventsSurviveRollCyclesAndRetentionKeepsWhatIsNeeded).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("not to contain");
        } finally {
            run.closeAll();
        }
        Run real = new Run(dir.resolve("real"), true);
        try {
            assertThatCode(real::eventsSurviveRollCyclesAndRetentionKeepsWhatIsNeeded).doesNotThrowAnyException();
        } finally {
            real.closeAll();
        }
    }
}
