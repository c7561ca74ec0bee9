package io.stenographer.adapters.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.application.port.in.CreateReportCommand;
import io.stenographer.application.port.in.ReportSubmission;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportFormTest {

    private final Caller auditor = Caller.withRolesOnTenants("alice", Set.of(Role.AUDITOR),
            Set.of(new TenantId("acme"), new TenantId("globex")));

    private static ReportForm form(String type) {
        ReportForm form = new ReportForm();
        form.type = type;
        form.format = "csv";
        form.from = " 2026-01-01T00:00:00Z ";
        form.to = "2026-02-01T00:00:00Z";
        form.actor = "";
        form.outcome = "";
        form.pseudonymiseActors = "";
        return form;
    }

    @Test
    void blankFieldsAreAbsentMembers() {
        ReportSubmission submission = form("denied-access").submission("acme");

        assertThat(submission.parametersJson())
                .isEqualTo("{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\"}");
        CreateReportCommand command = submission.toCommand(auditor);
        assertThat(command.tenant()).isEqualTo(new TenantId("acme"));
        assertThat(command.type()).isEqualTo(ReportType.DENIED_ACCESS);
        assertThat(command.format()).isEqualTo(ReportFormat.CSV);
    }

    @Test
    void numbersListsAndFlagsBecomeTheirJsonTypes() {
        ReportForm denied = form("denied-access");
        denied.deniedThreshold = "7";
        denied.deniedWindow = "PT30M";
        assertThat(denied.submission("acme").toCommand(auditor).parameters().deniedThreshold()).isEqualTo(7);
        assertThat(denied.submission("acme").toCommand(auditor).parameters().deniedWindow())
                .isEqualTo(Duration.ofMinutes(30));

        ReportForm foia = form("foia-export");
        foia.redactFields = "metadata.note\r\nmetadata.reason, resource.id\n\n";
        foia.pseudonymiseActors = "false";
        CreateReportCommand command = foia.submission("acme").toCommand(auditor);
        assertThat(command.parameters().redactFields())
                .isEqualTo(List.of("metadata.note", "metadata.reason", "resource.id"));
        assertThat(command.parameters().pseudonymiseActors()).isFalse();
        assertThat(command.parameters().personalData()).isFalse();

        ReportForm withValues = form("actor-activity");
        withValues.actor = "alice";
        withValues.personalData = "true";
        assertThat(withValues.submission("acme").toCommand(auditor).parameters().personalData()).isTrue();
    }

    @Test
    void refusesWhatTheApiRefusesWithTheSameMessage() {
        ReportForm notANumber = form("denied-access");
        notANumber.deniedThreshold = "five";
        assertViolation(notANumber, "parameters.deniedThreshold", "must be an integer");

        ReportForm otherType = form("record-access");
        otherType.resourceType = "case";
        otherType.resourceId = "42";
        otherType.volumeThreshold = "3";
        assertViolation(otherType, "parameters.volumeThreshold", "does not apply to record-access reports");

        ReportForm foiaWithValues = form("foia-export");
        foiaWithValues.personalData = "true";
        assertViolation(foiaWithValues, "parameters.personalData", "does not apply to foia-export reports");

        ReportForm forgedCheckbox = form("actor-activity");
        forgedCheckbox.actor = "alice";
        forgedCheckbox.personalData = "yes";
        assertViolation(forgedCheckbox, "parameters.personalData", "must be true or false");

        ReportForm noType = form("");
        assertViolation(noType, "type", "is required");

        ReportForm noPeriod = form("denied-access");
        noPeriod.from = "";
        assertViolation(noPeriod, "parameters.from", "is required");
    }

    private void assertViolation(ReportForm form, String field, String detail) {
        assertThatThrownBy(() -> form.submission("acme").toCommand(auditor))
                .isInstanceOfSatisfying(FieldViolation.class, violation -> {
                    assertThat(violation.field()).isEqualTo(field);
                    assertThat(violation.detail()).isEqualTo(detail);
                });
    }
}
