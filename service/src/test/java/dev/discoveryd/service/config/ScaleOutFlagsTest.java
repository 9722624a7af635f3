package dev.discoveryd.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.discoveryd.service.scaleout.ScaleOutConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --log=kafka} and its companions: what is required, what defaults to what, what is refused. */
class ScaleOutFlagsTest {
    private static ServerConfig parse(String... args) {
        ServeOptions options = new ServeOptions();
        new CommandLine(options).setPosixClusteredShortOptionsAllowed(false).parseArgs(args);
        return options.toConfig();
    }

    @Test
    void chronicleIsTheDefaultAndNeedsNoKafka() {
        assertThat(parse().scaleOut()).isNull();
        assertThat(parse("--log=chronicle").scaleOut()).isNull();
    }

    @Test
    void kafkaTakesItsFlagsWithDefaults() {
        ScaleOutConfig c = parse("--log=kafka", "--kafka-bootstrap=k0:9092,k1:9092", "--at-rest-key-file=/keys/a",
                "--advertise-endpoint=discovery-0.example.org:443").scaleOut();
        assertThat(c).isEqualTo(new ScaleOutConfig("k0:9092,k1:9092", "discoveryd-events", 48, (short) 3, 2,
                "discoveryd", "discovery-0.example.org:443", "discovery-0.example.org-443"));
        ScaleOutConfig d = parse("--log=kafka", "--kafka-bootstrap=k:9092", "--at-rest-key-file=/keys/a",
                "--advertise-endpoint=d:443", "--kafka-topic=t", "--kafka-partitions=12",
                "--kafka-replication-factor=1", "--kafka-min-insync-replicas=1", "--kafka-group=g",
                "--instance-id=one").scaleOut();
        assertThat(d).isEqualTo(new ScaleOutConfig("k:9092", "t", 12, (short) 1, 1, "g", "d:443", "one"));
    }

    @Test
    void kafkaRefusesWhatCannotWork() {
        assertThatThrownBy(() -> parse("--log=kafka", "--at-rest-key-file=/k", "--advertise-endpoint=d:443"))
                .hasMessageContaining("--kafka-bootstrap");
        assertThatThrownBy(() -> parse("--log=kafka", "--kafka-bootstrap=k:9092", "--at-rest-key-file=/k"))
                .hasMessageContaining("--advertise-endpoint");
        assertThatThrownBy(() -> parse("--log=kafka", "--kafka-bootstrap=k:9092", "--advertise-endpoint=d:443"))
                .hasMessageContaining("--at-rest-key-file");
        assertThatThrownBy(() -> parse("--log=kafka", "--kafka-bootstrap=k:9092", "--advertise-endpoint=d:443",
                "--at-rest-key-file=/k", "--in-memory")).hasMessageContaining("--in-memory");
        assertThatThrownBy(() -> parse("--log=etcd")).hasMessageContaining("chronicle or kafka");
    }
}
