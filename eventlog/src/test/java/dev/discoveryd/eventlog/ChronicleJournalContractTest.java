package dev.discoveryd.eventlog;

import dev.discoveryd.core.port.EventAppender;
import dev.discoveryd.core.port.JournalContract;
import dev.discoveryd.crypto.KeyRing;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class ChronicleJournalContractTest extends JournalContract {
    @TempDir
    Path dataDir;

    @Override
    protected EventAppender create() {
        return ChronicleEventLog.open(LogOptions.defaults(dataDir, KeyRing.generate(1)));
    }
}
