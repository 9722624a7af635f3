package dev.discoveryd;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the module's layers apart. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.discoveryd");

    @Test
    void noVertxInThisModule() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.vertx..").check(CLASSES);
    }

    @Test
    void coreStaysPure() {
        noClasses().that().resideInAPackage("dev.discoveryd.core..")
                .should().dependOnClassesThat().resideInAnyPackage("net.openhft..", "org.bouncycastle..",
                        "dev.discoveryd.eventlog..", "dev.discoveryd.crypto..", "java.nio.file..", "org.slf4j..")
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
