package io.stenographer.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.out.fixture.EventsRepository;
import io.stenographer.application.service.fixture.ServiceWithAHiddenPort;
import io.stenographer.bootstrap.fixture.WiringOutsideTheCompositionRoot;
import io.stenographer.domain.fixture.DomainThatUsesTheApplication;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ArchitectureTest} fail on a deliberate violation: each fixture class (test sources only,
 * so the real analysis never sees them) breaks one rule, and the rule must report it.
 */
class ArchitectureRulesCatchViolationsTest {

    private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(
            DomainThatUsesTheApplication.class, RecordEventsUseCase.class, EventsRepository.class, EventsRepository.Nested.class,
            ServiceWithAHiddenPort.class, ServiceWithAHiddenPort.Progress.class, WiringOutsideTheCompositionRoot.class);

    @Test
    void theDomainReachingUpBreaksTheLayers() {
        assertViolated(ArchitectureTest.domain_is_pure_java, DomainThatUsesTheApplication.class);
    }

    @Test
    void theDomainReachingUpIsALayerViolation() {
        assertViolated(ArchitectureTest.hexagonal_layers, DomainThatUsesTheApplication.class);
    }

    @Test
    void aClassOtherThanAConfigurationKnowingAServiceIsCaught() {
        assertViolated(ArchitectureTest.only_configurations_know_services, WiringOutsideTheCompositionRoot.class);
    }

    @Test
    void aPortHiddenInAServiceIsCaught() {
        assertViolated(ArchitectureTest.no_ports_hidden_in_services, WiringOutsideTheCompositionRoot.class);
    }

    @Test
    void anOutPortNamedAsANounIsCaught() {
        assertViolated(ArchitectureTest.outgoing_ports_are_named_by_intent, EventsRepository.class);
    }

    @Test
    void aNestedInterfaceOutsideAPortIsCaught() {
        assertViolated(ArchitectureTest.nested_out_port_types_belong_to_a_port, EventsRepository.Nested.class);
    }

    private static void assertViolated(ArchRule rule, Class<?> culprit) {
        EvaluationResult result = rule.evaluate(FIXTURES);
        assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        assertThat(result.getFailureReport().getDetails()).as("the violation names " + culprit.getSimpleName())
                .anyMatch(line -> line.contains(culprit.getName()));
    }
}
