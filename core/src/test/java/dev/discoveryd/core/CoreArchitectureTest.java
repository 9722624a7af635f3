package dev.discoveryd.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The core is the domain every other module shares (the service, the log, the snapshots, a future Kafka log, the
 * agent's fakes), so it must stay pure: nothing but the JDK, no I/O, and time only as a parameter, which keeps decide
 * and evolve deterministic and replayable.
 */
class CoreArchitectureTest {
    /** This module's own classes only (surefire runs in the module directory). */
    private static final JavaClasses CLASSES = new ClassFileImporter().importPath(Path.of("target/classes"));

    @Test
    void dependsOnNothingButTheJdk() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.discoveryd.core..", "")
                .because("other modules use the domain without pulling in a storage engine or a framework")
                .check(CLASSES);
    }

    @Test
    void coreStaysPure() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..",
                        "javax.crypto..", "java.lang.reflect..", "java.util.logging..")
                .orShould().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("java.io..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(IOException.class))))
                .because("I/O, crypto and logging belong to the adapters; the core folds and decides (ports may "
                        + "declare IOException)")
                .check(CLASSES);
    }

    @Test
    void timeIsAParameter() {
        noClasses().should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callMethod(Clock.class, "systemDefaultZone")
                .because("decide and evolve must give the same answer on replay as when the change was made")
                .check(CLASSES);
    }
}
