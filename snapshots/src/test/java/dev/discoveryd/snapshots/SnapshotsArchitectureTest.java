package dev.discoveryd.snapshots;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The snapshot store sees the domain and RocksDB, nothing of the log, its keys or the service. */
class SnapshotsArchitectureTest {
    /** This module's own classes only (surefire runs in the module directory). */
    private static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

    @Test
    void noLogNoKeysNoService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("net.openhft..", "dev.discoveryd.eventlog..",
                        "dev.discoveryd.crypto..", "dev.discoveryd.service..", "io.vertx..")
                .because("a snapshot store must be replaceable without the log, and reach keys only through SnapshotCipher")
                .check(CLASSES);
    }

    @Test
    void noCiphersHere() {
        noClasses().should().dependOnClassesThat().resideInAPackage("javax.crypto..")
                .because("encryption comes in through the SnapshotCipher port, so key handling stays in one place")
                .check(CLASSES);
    }
}
