package io.stenographer.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import jakarta.annotation.security.PermitAll;
import jakarta.persistence.Entity;
import java.util.Set;

/**
 * The hexagon, enforced. Every rule keeps ArchUnit's default failOnEmptyShould, so a rule whose
 * selection matches nothing fails instead of passing vacuously.
 */
@AnalyzeClasses(packages = "io.stenographer",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Every layer must hold classes: an empty or misspelt layer fails instead of passing vacuously. */
    @ArchTest
    static final ArchRule hexagonal_layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Domain").definedBy("io.stenographer.domain..")
            .layer("Application").definedBy("io.stenographer.application..")
            .layer("Adapters").definedBy("io.stenographer.adapters..")
            .layer("Bootstrap").definedBy("io.stenographer.bootstrap..")
            .whereLayer("Bootstrap").mayNotBeAccessedByAnyLayer()
            .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Bootstrap")
            .whereLayer("Application").mayOnlyBeAccessedByLayers("Adapters", "Bootstrap")
            .whereLayer("Domain").mayOnlyBeAccessedByLayers("Application", "Adapters", "Bootstrap");

    /** Services are built in the composition root only: nothing else may know them. */
    @ArchTest
    static final ArchRule only_configurations_know_services = noClasses()
            .that().resideOutsideOfPackage("io.stenographer.application.service..")
            .and().haveSimpleNameNotEndingWith("Configuration")
            .should().dependOnClassesThat().resideInAPackage("io.stenographer.application.service..");

    /** An out-port hidden inside a service (and implemented by an adapter) is still an out-port: put it in port.out. */
    @ArchTest
    static final ArchRule no_ports_hidden_in_services = noClasses()
            .that().resideOutsideOfPackage("io.stenographer.application..")
            .should().implement(JavaClass.Predicates.resideInAPackage("io.stenographer.application.service.."));

    /**
     * The domain is pure Java: only the JDK's java.* packages, the JDK's crypto API javax.crypto (in java.base like
     * java.security; AES-GCM for personal values at rest) and itself.
     */
    @ArchTest
    static final ArchRule domain_is_pure_java = classes().that().resideInAPackage("io.stenographer.domain..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.crypto..", "io.stenographer.domain..");

    /** The in-app client ships inside other applications: the JDK, the domain and itself, nothing else. */
    @ArchTest
    static final ArchRule client_is_jdk_and_domain_only = classes().that().resideInAPackage("io.stenographer.client..")
            .and().resideOutsideOfPackage("io.stenographer.client.cdi..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.stenographer.domain..", "io.stenographer.client..");

    /** The PDF report verifier runs on an auditor's machine: the domain and PDFBox, nothing of the service. */
    @ArchTest
    static final ArchRule pdf_verifier_is_domain_and_pdfbox_only = classes()
            .that().resideInAPackage("io.stenographer.verifier.pdf..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.stenographer.domain..",
                    "io.stenographer.verifier.pdf..", "org.apache.pdfbox..");

    /** Its CDI binding adds the CDI and interceptor APIs, and nothing of this service. */
    @ArchTest
    static final ArchRule client_cdi_is_client_and_jakarta_only = classes()
            .that().resideInAPackage("io.stenographer.client.cdi..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "jakarta.enterprise..",
                    "jakarta.inject..", "jakarta.interceptor..", "jakarta.annotation..", "io.stenographer.client..");

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

    /** Nested interfaces in port.out are parts of a port's signature (a handle, a callback), never ports of their own. */
    @ArchTest
    static final ArchRule nested_out_port_types_belong_to_a_port = classes()
            .that().resideInAPackage("io.stenographer.application.port.out..")
            .and().areInterfaces().and().areNestedClasses()
            .should(beDeclaredInsideAPort());

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

    /**
     * What anyone may call without a token, listed: a new anonymous endpoint fails here until it is added on
     * purpose (and to the README and docs/SECURITY.md, which list the same).
     */
    static final Set<String> ANONYMOUS_ENDPOINTS = Set.of("LogsResource.checkpoint", "LogsResource.verifierKey",
            "LogsResource.keySet", "TilesResource.tile", "DemoTokenResource.token",
            // The page a browser lands on after signing out of the console: it has no session by then.
            "ConsoleSignInResource.signedOut");

    @ArchTest
    static final ArchRule only_listed_endpoints_are_anonymous = methods()
            .that().areAnnotatedWith(PermitAll.class)
            .should(new ArchCondition<JavaMethod>("be one of " + ANONYMOUS_ENDPOINTS) {
                @Override
                public void check(JavaMethod method, ConditionEvents events) {
                    String name = method.getOwner().getSimpleName() + "." + method.getName();
                    if (!ANONYMOUS_ENDPOINTS.contains(name)) {
                        events.add(SimpleConditionEvent.violated(method, name + " is @PermitAll but not listed"));
                    }
                }
            });

    private static ArchCondition<JavaClass> beDeclaredInsideAPort() {
        return new ArchCondition<>("be declared inside a ...Port") {
            @Override
            public void check(JavaClass nested, ConditionEvents events) {
                boolean inPort = nested.getEnclosingClass().map(JavaClass::getSimpleName)
                        .filter(name -> name.endsWith("Port")).isPresent();
                if (!inPort) {
                    events.add(SimpleConditionEvent.violated(nested, nested.getName() + " is not nested in a port"));
                }
            }
        };
    }
}
