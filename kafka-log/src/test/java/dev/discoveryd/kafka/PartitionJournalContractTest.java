package dev.discoveryd.kafka;

import dev.discoveryd.core.port.EventAppender;
import dev.discoveryd.core.port.JournalContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("slow")
@ExtendWith(KafkaKit.class)
class PartitionJournalContractTest extends JournalContract {
    private final List<KafkaLog> topics = new ArrayList<>();

    @Override
    protected EventAppender create() {
        KafkaLog topic = KafkaLog.connect(KafkaTestLogs.fresh("journal", 1, Clock.systemUTC()));
        topics.add(topic);
        PartitionLog log = topic.open(0);
        log.claimOwnership();
        return log;
    }

    @AfterEach
    void closeTopics() {
        topics.forEach(KafkaLog::close);
    }
}
