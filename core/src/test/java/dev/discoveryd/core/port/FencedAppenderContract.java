package dev.discoveryd.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.TestEvents;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a {@link FencedAppender} must do: the latest owner writes, every earlier one is refused and writes nothing. */
public abstract class FencedAppenderContract {
    private final TestEvents events = new TestEvents(11);

    /** A fenced appender over fresh, empty storage. */
    protected abstract FencedAppender create();

    /** Reads back what {@code appender} wrote. */
    protected abstract EventReader readerOf(FencedAppender appender);

    @Test
    void aNewOwnerFencesTheOldOneOff() throws Exception {
        FencedAppender log = create();
        long first = log.claimOwnership();
        LogPosition written = log.append(first, events.next()).get(10, TimeUnit.SECONDS);
        long second = log.claimOwnership();
        assertThat(second).isGreaterThan(first);
        assertThatThrownBy(() -> log.append(first, events.next()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(FencedException.class);
        LogPosition next = log.append(second, events.next()).get(10, TimeUnit.SECONDS);
        assertThat(next).isGreaterThan(written);
        assertThat(EventLogContract.replayAll(readerOf(log))).hasSize(2);
    }

    @Test
    void anEpochNeverClaimedIsRefused() {
        FencedAppender log = create();
        long owner = log.claimOwnership();
        assertThatThrownBy(() -> log.append(owner + 1, events.next()).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(FencedException.class);
        assertThat(EventLogContract.replayAll(readerOf(log))).isEmpty();
    }
}
