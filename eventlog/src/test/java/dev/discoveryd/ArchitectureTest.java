package dev.discoveryd;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the module's layers apart (the core's own rules are in core's CoreArchitectureTest). */
class ArchitectureTest {
    /** This module's own classes only (surefire runs in the module directory). */
    private static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

    @Test
    void noVertxInThisModule() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.vertx..").check(CLASSES);
    }

    @Test
    void noSnapshotStoreInThisModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.rocksdb..", "dev.discoveryd.snapshots..")
                .because("the log and the snapshot store are separate adapters that meet only in the service")
                .check(CLASSES);
    }

    @Test
    void onlyTheLogPackageTouchesChronicle() {
        noClasses().that().resideOutsideOfPackage("dev.discoveryd.eventlog")
                .should().dependOnClassesThat().resideInAPackage("net.openhft..").check(CLASSES);
    }

    @Test
    void onlyCryptoTouchesCiphersAndMacs() {
        noClasses().that().resideOutsideOfPackage("dev.discoveryd.crypto")
                .should().dependOnClassesThat().resideInAPackage("javax.crypto..").check(CLASSES);
    }
}
