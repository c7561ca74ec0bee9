package io.stenographer.application.port.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.HoldCriteria;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LegalHoldSubmissionTest {

    private final Caller admin = Caller.withRolesOnTenants("carol", Set.of(Role.COMPLIANCE_ADMIN),
            Set.of(new TenantId("acme")));

    @Test
    void readsAHold() {
        PlaceLegalHoldCommand command = new LegalHoldSubmission("acme", "u-1", "case", "42", "case.*",
                "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "CV-1", "counsel asked").toCommand(admin);

        assertThat(command.tenant()).isEqualTo(new TenantId("acme"));
        assertThat(command.criteria()).isEqualTo(new HoldCriteria("u-1", "case", "42", "case.*",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")));
        assertThat(command.caseReference()).isEqualTo("CV-1");
        assertThat(command.reason()).isEqualTo("counsel asked");
    }

    @Test
    void noCriteriaHoldTheWholeTenant() {
        PlaceLegalHoldCommand command = new LegalHoldSubmission("acme", null, null, null, null, null, null, null,
                "counsel asked").toCommand(admin);

        assertThat(command.criteria().isWholeTenant()).isTrue();
    }

    @Test
    void refusesAMissingTenantAndBadTimes() {
        assertViolation(new LegalHoldSubmission(null, null, null, null, null, null, null, null, "r"), "tenant",
                "is required");
        assertThatThrownBy(() -> new LegalHoldSubmission("acme", null, null, null, null, "yesterday", null, null, "r")
                .toCommand(admin)).isInstanceOfSatisfying(FieldViolation.class,
                        violation -> assertThat(violation.field()).isEqualTo("from"));
        assertViolation(new LegalHoldSubmission("acme", null, null, null, null, "2026-02-01T00:00:00Z",
                "2026-01-01T00:00:00Z", null, "r"), "to", "must be after 'from'");
    }

    @Test
    void parsesTheListStatus() {
        assertThat(LegalHoldsQuery.Status.parse(null)).isEqualTo(LegalHoldsQuery.Status.ACTIVE);
        assertThat(LegalHoldsQuery.Status.parse("active")).isEqualTo(LegalHoldsQuery.Status.ACTIVE);
        assertThat(LegalHoldsQuery.Status.parse("released")).isEqualTo(LegalHoldsQuery.Status.RELEASED);
        assertThat(LegalHoldsQuery.Status.parse("all")).isEqualTo(LegalHoldsQuery.Status.ALL);
        assertThatThrownBy(() -> LegalHoldsQuery.Status.parse("ACTIVE"))
                .isInstanceOfSatisfying(FieldViolation.class, violation -> {
                    assertThat(violation.field()).isEqualTo("status");
                    assertThat(violation.detail()).isEqualTo("must be active, released or all");
                });
    }

    private void assertViolation(LegalHoldSubmission submission, String field, String detail) {
        assertThatThrownBy(() -> submission.toCommand(admin))
                .isInstanceOfSatisfying(FieldViolation.class, violation -> {
                    assertThat(violation.field()).isEqualTo(field);
                    assertThat(violation.detail()).isEqualTo(detail);
                });
    }
}
