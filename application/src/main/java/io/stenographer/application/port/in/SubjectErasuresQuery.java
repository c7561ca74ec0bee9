package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Text;
import java.util.Objects;

/** The erasures recorded for one data subject of a tenant. */
public record SubjectErasuresQuery(Caller caller, TenantId tenant, String subjectId) {

    public SubjectErasuresQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        subjectId = Text.required("subjectId", subjectId, EraseSubjectCommand.MAX_SUBJECT_ID_LENGTH, false);
    }
}
