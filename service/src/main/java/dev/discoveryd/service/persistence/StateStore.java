package dev.discoveryd.service.persistence;

import dev.discoveryd.core.View;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.EventLog;
import dev.discoveryd.eventlog.EventLogException;
import dev.discoveryd.eventlog.LogOptions;
import dev.discoveryd.eventlog.ReplayProgress;
import dev.discoveryd.service.config.PersistenceConfig;
import dev.discoveryd.service.state.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * The service's durable state: the at-rest keys and the event log (and, when enabled, snapshots). Opened before any
 * listener, so that the view is rebuilt before the first request.
 */
public final class StateStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

    private final PersistenceConfig config;
    private final KeyRing keys;
    private final EventLog log;
    private final Clock clock;

    private StateStore(PersistenceConfig config, KeyRing keys, EventLog log, Clock clock) {
        this.config = config;
        this.keys = keys;
        this.log = log;
        this.clock = clock;
    }

    /** Opens the keys and the log under the data directory; {@link StartupException} with a clear message on failure. */
    public static StateStore open(PersistenceConfig config, Clock clock) {
        if (config.inMemory()) {
            LOG.warn("running in memory only (--in-memory): nothing is written to disk, state is lost on restart");
            return new StateStore(config, null, null, clock);
        }
        KeyRing keys;
        try {
            keys = KeyRing.loadOrCreate(config.dataDir(), config.keyFiles());
        } catch (RuntimeException e) {
            throw new StartupException("cannot load the at-rest keys: " + e.getMessage(), e);
        }
        LogOptions options = LogOptions.defaults(config.dataDir(), keys)
                .withSync(config.syncPolicy(), config.syncInterval())
                .withRetention(config.retention())
                .withClock(clock);
        try {
            return new StateStore(config, keys, ChronicleEventLog.open(options), clock);
        } catch (EventLogException e) {
            throw new StartupException("cannot open the event log in " + options.logDir() + ": " + e.getMessage()
                    + "\n  inspect it with: " + ChronicleEventLog.verifyCommand(config.dataDir()), e);
        }
    }

    /** Rebuilds the view the service had when it stopped. */
    public Recovered recover() {
        View view = new View();
        if (log == null) {
            return new Recovered(view, EventLog.NO_INDEX, 0);
        }
        long started = System.nanoTime();
        PrintStream progress = new LogPrintStream(LOG);
        ReplayProgress counter = new ReplayProgress((index, event) -> view.evolve(event), progress, clock,
                Duration.ofSeconds(2), 0);
        try {
            log.replay(EventLog.NO_INDEX, counter);
        } catch (EventLogException e) {
            throw new StartupException("the event log is damaged, so the state cannot be rebuilt: " + e.getMessage()
                    + "\n  see which record with: " + ChronicleEventLog.verifyCommand(config.dataDir()), e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("state rebuilt from the event log: {} events, {} clusters, {} affiliates in {} ms",
                counter.count(), view.clusterCount(), view.affiliateCount(), millis);
        return new Recovered(view, log.lastIndex(), counter.count());
    }

    /** Where accepted changes go before they are applied. */
    public Journal journal() {
        return log == null ? Journal.NONE : log::append;
    }

    public KeyRing keys() {
        return keys;
    }

    public PersistenceConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }

    /** The rebuilt view and the last log index it includes. */
    public record Recovered(View view, long lastIndex, long replayedEvents) {
    }
}
