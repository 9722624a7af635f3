package dev.discoveryd.eventlog;

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
