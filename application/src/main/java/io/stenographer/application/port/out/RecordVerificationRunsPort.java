package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.VerificationReport;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stored verification results: evidence that the log was checked, and what was found. */
public interface RecordVerificationRunsPort {

    /**
     * @param newestAcceptedCheckpoint the signed note the next run may anchor on ({@code LogVerifier
     *     #newestAcceptedCheckpoint}), or null
     */
    void save(VerificationReport report, String newestAcceptedCheckpoint);

    /** The anchor the tenant's most recent run left: none when that run had findings, so the next checks all. */
    Optional<String> newestAcceptedCheckpoint(TenantId tenant);

    List<VerificationReport> recent(TenantId tenant, int limit);

    Optional<VerificationReport> find(TenantId tenant, UUID id);
}
