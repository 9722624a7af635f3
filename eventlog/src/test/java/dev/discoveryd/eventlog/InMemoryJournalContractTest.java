package dev.discoveryd.eventlog;

import dev.discoveryd.core.port.EventAppender;
import dev.discoveryd.core.port.JournalContract;

class InMemoryJournalContractTest extends JournalContract {
    @Override
    protected EventAppender create() {
        return new InMemoryEventLog();
    }
}
