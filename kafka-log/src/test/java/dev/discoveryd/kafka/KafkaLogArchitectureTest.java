package dev.discoveryd.kafka;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Kafka log is a storage adapter: the domain, the record format and kafka-clients, nothing of the service. */
class KafkaLogArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

    @Test
    void noServiceNoOtherStorage() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.discoveryd.service..", "io.vertx..",
                        "net.openhft..", "org.rocksdb..", "kafka..", "org.apache.kafka.server..",
                        "org.apache.kafka.common.test..")
                .because("the log is replaceable and runs against any Kafka through its client alone")
                .check(CLASSES);
    }
}
