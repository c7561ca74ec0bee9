package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.VerificationReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stored verification results: evidence that the log was checked, and what was found. */
public interface RecordVerificationRunsPort {

    /**
     * @param newestAcceptedCheckpoint the signed note the next run may anchor on ({@code LogVerifier
     *     #newestAcceptedCheckpoint}), or null
     * @param segmentsCheckedUpTo      where the archive catalogue ended when this run read its segments back
     */
    void save(VerificationReport report, String newestAcceptedCheckpoint, long segmentsCheckedUpTo);

    /**
     * Where the tenant's most recent run found the log sound, for the next incremental run to continue from: none
     * when that run had findings, so the next one checks everything.
     *
     * @param note         the signed note of the largest checkpoint that run accepted
     * @param runStartedAt when that run started: events received before it were checked by it or by the runs it
     *     continued
     * @param segmentsCheckedUpTo where the archive catalogue ended when that run read its segments back: segments
     *     recorded since start there
     */
    record Anchor(String note, Instant runStartedAt, long segmentsCheckedUpTo) {
    }

    Optional<Anchor> anchor(TenantId tenant);

    List<VerificationReport> recent(TenantId tenant, int limit);

    Optional<VerificationReport> find(TenantId tenant, UUID id);
}
