package dev.discoveryd.eventlog;

import dev.discoveryd.core.port.EventReader;
import dev.discoveryd.core.port.FencedAppender;
import dev.discoveryd.core.port.FencedAppenderContract;

class InMemoryFencingContractTest extends FencedAppenderContract {
    @Override
    protected FencedAppender create() {
        return new InMemoryEventLog();
    }

    @Override
    protected EventReader readerOf(FencedAppender appender) {
        return (InMemoryEventLog) appender;
    }
}
