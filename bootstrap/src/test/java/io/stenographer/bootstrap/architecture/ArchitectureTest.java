package io.stenographer.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import jakarta.persistence.Entity;

/**
 * The hexagon, enforced. Every rule keeps ArchUnit's default failOnEmptyShould, so a rule whose
 * selection matches nothing fails instead of passing vacuously.
 */
@AnalyzeClasses(packages = "io.stenographer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule hexagonal_layers = onionArchitecture()
            .domainModels("io.stenographer.domain..")
            .applicationServices("io.stenographer.application..")
            .adapter("rest", "io.stenographer.adapters.rest..")
            .adapter("persistence", "io.stenographer.adapters.persistence..")
            .adapter("archive", "io.stenographer.adapters.archive..")
            .adapter("reports", "io.stenographer.adapters.reports..")
            .withOptionalLayers(true)
            .ignoreDependency(resideIn("io.stenographer.bootstrap.."), anyClass());

    /** The domain is pure Java: only the JDK's java.* packages and itself. */
    @ArchTest
    static final ArchRule domain_is_pure_java = classes().that().resideInAPackage("io.stenographer.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.stenographer.domain..");

    /** The application layer is plain Java too: no framework types in use cases or ports. */
    @ArchTest
    static final ArchRule application_is_framework_free = classes()
            .that().resideInAPackage("io.stenographer.application..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.stenographer.domain..", "io.stenographer.application..");

    @ArchTest
    static final ArchRule adapters_do_not_know_each_other = slices()
            .matching("io.stenographer.adapters.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule ports_do_not_depend_on_services = noClasses()
            .that().resideInAPackage("io.stenographer.application.port..")
            .should().dependOnClassesThat().resideInAPackage("io.stenographer.application.service..");

    @ArchTest
    static final ArchRule incoming_ports_are_use_cases_and_their_messages = classes()
            .that().resideInAPackage("io.stenographer.application.port.in..")
            .and().areInterfaces().and().areTopLevelClasses()
            .should().haveSimpleNameEndingWith("UseCase");

    @ArchTest
    static final ArchRule outgoing_ports_are_named_by_intent = classes()
            .that().resideInAPackage("io.stenographer.application.port.out..")
            .and().areInterfaces().and().areTopLevelClasses()
            .should().haveSimpleNameEndingWith("Port").orShould().haveSimpleNameEndingWith("Runner");

    @ArchTest
    static final ArchRule no_package_cycles = slices().matching("io.stenographer.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule no_field_injection = GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;

    /** JPA entities never leave the persistence adapter. */
    @ArchTest
    static final ArchRule entities_are_package_private_in_persistence = classes()
            .that().areAnnotatedWith(Entity.class)
            .should().resideInAPackage("io.stenographer.adapters.persistence..")
            .andShould().notBePublic();

    /** Services are wired by the composition root only, never by a container annotation. */
    @ArchTest
    static final ArchRule services_are_plain_final_classes = classes()
            .that().resideInAPackage("io.stenographer.application.service..")
            .and().haveSimpleNameEndingWith("Service")
            .should().haveModifier(JavaModifier.FINAL);

    private static DescribedPredicate<JavaClass> resideIn(String pattern) {
        return JavaClass.Predicates.resideInAPackage(pattern);
    }

    private static DescribedPredicate<JavaClass> anyClass() {
        return DescribedPredicate.alwaysTrue();
    }
}
