package dev.discoveryd.kafka;

import dev.discoveryd.core.port.EventReader;
import dev.discoveryd.core.port.FencedAppender;
import dev.discoveryd.core.port.FencedAppenderContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("slow")
@ExtendWith(KafkaKit.class)
class PartitionFencingContractTest extends FencedAppenderContract {
    private final List<AutoCloseable> opened = new ArrayList<>();

    @Override
    protected FencedAppender create() {
        KafkaLog topic = KafkaLog.connect(KafkaTestLogs.fresh("fencing", 1, Clock.systemUTC()));
        PartitionLog log = topic.open(0);
        opened.add(log);
        opened.add(topic);
        return log;
    }

    @Override
    protected EventReader readerOf(FencedAppender appender) {
        return (PartitionLog) appender;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }
}
