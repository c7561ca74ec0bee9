package io.stenographer.application.port.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetentionPolicySubmissionTest {

    private final Caller admin = Caller.withRolesOnTenants("carol", Set.of(Role.COMPLIANCE_ADMIN),
            Set.of(new TenantId("acme")));

    @Test
    void readsAPolicy() {
        CreateRetentionPolicyCommand command = new RetentionPolicySubmission("case-records", "acme", "case.*",
                "background-check", "P90D", "P18M", "Records Act s.12").toCommand(admin);

        assertThat(command.tenant()).isEqualTo(new TenantId("acme"));
        assertThat(command.id()).isEqualTo(new PolicyId("case-records"));
        assertThat(command.actionPattern()).isEqualTo("case.*");
        assertThat(command.resourceType()).isEqualTo("background-check");
        assertThat(command.archiveAfter().iso()).isEqualTo("P90D");
        assertThat(command.retainFor().iso()).isEqualTo("P1Y6M");
        assertThat(command.legalBasis()).isEqualTo("Records Act s.12");
    }

    @Test
    void needsTheTenantNamedEvenWithOneGranted() {
        assertViolation(new RetentionPolicySubmission("p", null, null, null, "P0D", "P1Y", "basis"), "tenant",
                "is required");
    }

    @Test
    void checksTheIdThenThePeriodsInOrder() {
        assertViolation(new RetentionPolicySubmission("Bad Id", "acme", null, null, "later", "never", "b"), "id",
                "must be 1-64 characters of lower-case letters, digits, '.', '_' and '-', starting with a letter or"
                        + " digit");
        assertViolation(new RetentionPolicySubmission("p", "acme", null, null, null, "P1Y", "b"), "archiveAfter",
                "is required");
        assertViolation(new RetentionPolicySubmission("p", "acme", null, null, "P0D", "-P1Y", "b"), "retainFor",
                "must not be negative");
        assertViolation(new RetentionPolicySubmission("p", "acme", null, null, "P0D", "seven years", "b"),
                "retainFor",
                "must be an ISO 8601 duration of whole numbers such as P7Y, P1Y6M, P90D, PT10M or P1DT12H");
    }

    private void assertViolation(RetentionPolicySubmission submission, String field, String detail) {
        assertThatThrownBy(() -> submission.toCommand(admin))
                .isInstanceOfSatisfying(FieldViolation.class, violation -> {
                    assertThat(violation.field()).isEqualTo(field);
                    assertThat(violation.detail()).isEqualTo(detail);
                });
    }
}
