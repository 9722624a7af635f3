package dev.discoveryd.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.core.Event;
import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.TestEvents;
import dev.discoveryd.core.port.EventLogContract;
import dev.discoveryd.core.port.FencedException;
import dev.discoveryd.core.port.LogException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances over one partition, as after a fail-over: the former owner, which never learns of the new claim but
 * from the broker, has its late writes refused, and nothing of them is read back. And a record written behind the
 * log's back breaks the chain.
 */
@Tag("slow")
@ExtendWith(KafkaKit.class)
class OwnershipFencingTest {
    private final TestEvents events = new TestEvents(5);
    private final List<AutoCloseable> opened = new ArrayList<>();

    private <T extends AutoCloseable> T track(T c) {
        opened.add(c);
        return c;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aFormerOwnersLateWritesAreRefusedByTheBrokerAndNeverRead() throws Exception {
        KafkaLogOptions base = KafkaTestLogs.fresh("fence", 3, Clock.systemUTC());
        KafkaLog instanceA = track(KafkaLog.connect(base.withOwner("a")));
        KafkaLog instanceB = track(KafkaLog.connect(base.withOwner("b")));
        PartitionLog ownerA = track(instanceA.open(2));
        PartitionLog ownerB = track(instanceB.open(2));

        long epochA = ownerA.claimOwnership();
        List<Event> acknowledged = events.next(5);
        List<LogPosition> positions = EventLogContract.appendAll(ownerA, acknowledged);

        long epochB = ownerB.claimOwnership();
        assertThat(epochB).isGreaterThan(epochA);
        // A still believes it owns the partition: its epoch is its latest claim, only the broker knows better.
        assertThat(ownerA.epoch()).isEqualTo(epochA);
        List<CompletableFuture<LogPosition>> late = new ArrayList<>();
        for (Event e : events.next(3)) {
            late.add(ownerA.append(e));
        }
        for (CompletableFuture<LogPosition> f : late) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(FencedException.class);
        }
        assertThatThrownBy(() -> ownerA.append(events.next()).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(FencedException.class);

        List<Event> byB = events.next(2);
        List<LogPosition> positionsB = EventLogContract.appendAll(ownerB, byB);
        assertThat(positionsB.get(0)).isGreaterThan(positions.get(4));
        List<Event> expected = new ArrayList<>(acknowledged);
        expected.addAll(byB);
        // Read through A's log too: reading needs no ownership, and the chain checks from the partition's start.
        assertThat(TestEvents.texts(EventLogContract.replayAll(ownerA))).isEqualTo(TestEvents.texts(expected));
        assertThat(TestEvents.texts(EventLogContract.replayAll(ownerB))).isEqualTo(TestEvents.texts(expected));
        assertThat(ownerB.end()).isEqualTo(positionsB.get(1));
    }

    @Test
    void aRecordWrittenBehindTheLogsBackBreaksTheChain() throws Exception {
        KafkaLogOptions options = KafkaTestLogs.fresh("tamper", 1, Clock.systemUTC());
        KafkaLog topic = track(KafkaLog.connect(options));
        PartitionLog log = track(topic.open(0));
        log.claimOwnership();
        EventLogContract.appendAll(log, events.next(3));
        long injectedAt;
        try (KafkaProducer<byte[], byte[]> intruder = new KafkaProducer<>(java.util.Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            injectedAt = intruder.send(new ProducerRecord<>(options.topic(), 0, null, events.bytes(120)))
                    .get(30, TimeUnit.SECONDS).offset();
        }
        EventLogContract.appendAll(log, events.next(1));
        assertThatThrownBy(() -> EventLogContract.replayAll(log)).isInstanceOf(LogException.class)
                .hasMessageContaining("offset " + injectedAt);
    }
}
