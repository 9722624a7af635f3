package dev.discoveryd.eventlog;

import dev.discoveryd.core.port.EventLog;
import dev.discoveryd.core.port.EventLogContract;
import dev.discoveryd.crypto.KeyRing;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class ChronicleEventLogContractTest extends EventLogContract {
    private static final KeyRing KEYS = KeyRing.generate(1);

    @TempDir
    Path dataDir;

    @Override
    protected EventLog create() {
        return ChronicleEventLog.open(LogOptions.defaults(dataDir, KEYS).withClock(clock));
    }

    @Override
    protected EventLog reopen(EventLog log) {
        log.close();
        return create();
    }
}
