package io.stenographer.application.port.in;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportType;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportSubmissionTest {

    private static final String PERIOD = "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\"";
    private final Caller oneTenant = Caller.withRolesOnTenants("alice", Set.of(Role.AUDITOR),
            Set.of(new TenantId("acme")));
    private final Caller twoTenants = Caller.withRolesOnTenants("bob", Set.of(Role.AUDITOR),
            Set.of(new TenantId("acme"), new TenantId("globex")));

    @Test
    void readsAFullRequest() {
        CreateReportCommand command = new ReportSubmission("acme", "actor-activity", "csv",
                PERIOD + ",\"actor\":\"u-1\"}").toCommand(oneTenant);

        assertThat(command.tenant()).isEqualTo(new TenantId("acme"));
        assertThat(command.type()).isEqualTo(ReportType.ACTOR_ACTIVITY);
        assertThat(command.format()).isEqualTo(ReportFormat.CSV);
        assertThat(command.parameters().from()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(command.parameters().actor()).isEqualTo("u-1");
        assertThat(command.caller()).isEqualTo(oneTenant);
    }

    @Test
    void defaultsTheTenantToTheOnlyOneAndTheFormatToJson() {
        CreateReportCommand command = new ReportSubmission(null, "denied-access", null, PERIOD + "}")
                .toCommand(oneTenant);

        assertThat(command.tenant()).isEqualTo(new TenantId("acme"));
        assertThat(command.format()).isEqualTo(ReportFormat.JSON);
    }

    @Test
    void needsTheTenantWhenTheTokenGrantsSeveral() {
        assertViolation(new ReportSubmission(null, "denied-access", null, PERIOD + "}"), twoTenants, "tenant",
                "is required when the token grants more than one tenant");
    }

    @Test
    void refusesAMissingOrUnknownTypeOrFormat() {
        assertViolation(new ReportSubmission("acme", null, null, PERIOD + "}"), oneTenant, "type", "is required");
        assertViolation(new ReportSubmission("acme", "everything", null, PERIOD + "}"), oneTenant, "type",
                "must be one of: record-access, actor-activity, denied-access, unjustified-access, unusual-volume, "
                        + "foia-export");
        assertViolation(new ReportSubmission("acme", "denied-access", "xml", PERIOD + "}"), oneTenant, "format",
                "must be one of: json, csv, pdf, bundle");
    }

    @Test
    void checksTheTypeBeforeTheParameters() {
        assertViolation(new ReportSubmission("acme", "everything", null, null), oneTenant, "type",
                "must be one of: record-access, actor-activity, denied-access, unjustified-access, unusual-volume, "
                        + "foia-export");
    }

    @Test
    void refusesMissingNonObjectOrTooDeepParameters() {
        String required = "is required (at least from and to)";
        assertViolation(new ReportSubmission("acme", "denied-access", null, null), oneTenant, "parameters", required);
        assertViolation(new ReportSubmission("acme", "denied-access", null, "null"), oneTenant, "parameters",
                required);
        assertViolation(new ReportSubmission("acme", "denied-access", null, "[1]"), oneTenant, "parameters",
                "must be a JSON object");
        assertViolation(new ReportSubmission("acme", "denied-access", null, "\"x\""), oneTenant, "parameters",
                "must be a JSON object");
        assertViolation(new ReportSubmission("acme", "denied-access", null,
                "{\"a\":[[[[[[[[1]]]]]]]]}"), oneTenant, "parameters", "is too deeply nested or not valid JSON");
        assertViolation(new ReportSubmission("acme", "denied-access", null, "{\"from\":"), oneTenant, "parameters",
                "is too deeply nested or not valid JSON");
    }

    @Test
    void leavesTheParametersToTheDomainsStrictReader() {
        assertViolation(new ReportSubmission("acme", "record-access", null, PERIOD + ",\"deniedThreshold\":3}"),
                oneTenant, "parameters.deniedThreshold", "does not apply to record-access reports");
        assertViolation(new ReportSubmission("acme", "actor-activity", null, PERIOD + "}"), oneTenant,
                "parameters.actor", "is required for actor-activity reports");
    }

    private static void assertViolation(ReportSubmission submission, Caller caller, String field, String detail) {
        assertThatThrownBy(() -> submission.toCommand(caller))
                .isInstanceOfSatisfying(FieldViolation.class, violation -> {
                    assertThat(violation.field()).isEqualTo(field);
                    assertThat(violation.detail()).isEqualTo(detail);
                });
    }
}
