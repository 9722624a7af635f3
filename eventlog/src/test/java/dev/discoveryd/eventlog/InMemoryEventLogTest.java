package dev.discoveryd.eventlog;

import dev.discoveryd.core.port.EventLog;
import dev.discoveryd.core.port.EventLogContract;

class InMemoryEventLogTest extends EventLogContract {
    @Override
    protected EventLog create() {
        return new InMemoryEventLog();
    }

    @Override
    protected EventLog reopen(EventLog log) {
        return log;
    }
}
