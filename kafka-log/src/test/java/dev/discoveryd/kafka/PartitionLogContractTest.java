package dev.discoveryd.kafka;

import dev.discoveryd.core.port.EventLog;
import dev.discoveryd.core.port.EventLogContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The event log contract on partition 1 of a two-partition topic (positions name partition 1 only). */
@Tag("slow")
@ExtendWith(KafkaKit.class)
class PartitionLogContractTest extends EventLogContract {
    private final Map<EventLog, KafkaLog> topics = new HashMap<>();

    @Override
    protected EventLog create() {
        return open(KafkaLog.connect(KafkaTestLogs.fresh("contract", 2, clock)));
    }

    private EventLog open(KafkaLog topic) {
        PartitionLog log = topic.open(1);
        log.claimOwnership();
        topics.put(log, topic);
        return log;
    }

    @Override
    protected EventLog reopen(EventLog log) {
        log.close();
        return open(topics.remove(log));
    }

    @AfterEach
    void closeTopics() {
        topics.values().forEach(KafkaLog::close);
    }
}
