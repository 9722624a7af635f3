package dev.discoveryd.agent.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The agent's decisions (core) and its ports are pure: no I/O, no clock, no frameworks. */
class PureCoreTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.discoveryd.agent");

    @Test
    void decisionCodeDoesNoIo() {
        // DataPlaneProvider is the factory the daemon opens the data plane with: the one port that sees a Path.
        ArchRule rule = noClasses().that().resideInAnyPackage("dev.discoveryd.agent.core..", "dev.discoveryd.agent.port..")
                .and().doNotHaveSimpleName("DataPlaneProvider")
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net.http..",
                        "io.vertx..", "io.netty..", "com.fasterxml..", "org.slf4j..", "picocli..",
                        "dev.discoveryd.nodeclient.client..", "dev.discoveryd.agent.daemon..",
                        "dev.discoveryd.agent.control..", "dev.discoveryd.agent.linux..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.NetworkInterface")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .because("decisions take time and facts as parameters and are tested with a hand-moved clock");
        rule.check(CLASSES);
    }

    @Test
    void decisionCodeNeverReadsTheClock() {
        ArchRule rule = noClasses().that().resideInAnyPackage("dev.discoveryd.agent.core..", "dev.discoveryd.agent.port..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Thread.class, "sleep", long.class);
        rule.check(CLASSES);
    }
}
