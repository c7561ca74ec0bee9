package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Text;
import java.util.Objects;

/** Erase one data subject's personal data in a tenant: its data keys and every value they encrypt. */
public record EraseSubjectCommand(Caller caller, TenantId tenant, String subjectId, String reason) {

    public static final int MAX_SUBJECT_ID_LENGTH = 256;
    public static final int MAX_REASON_LENGTH = 2048;

    public EraseSubjectCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        subjectId = Text.required("subjectId", subjectId, MAX_SUBJECT_ID_LENGTH, false);
        reason = Text.optional("reason", reason, MAX_REASON_LENGTH, true);
        if (subjectId.isBlank()) {
            throw new FieldViolation("subjectId", "is required");
        }
    }
}
