package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.VerificationReport;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stored verification results: evidence that the log was checked, and what was found. */
public interface RecordVerificationRunsPort {

    void save(VerificationReport report);

    List<VerificationReport> recent(TenantId tenant, int limit);

    Optional<VerificationReport> find(TenantId tenant, UUID id);
}
