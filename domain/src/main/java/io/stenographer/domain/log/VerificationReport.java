package io.stenographer.domain.log;

import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The outcome of recomputing a tenant's whole log from its stored events.
 *
 * @param anchoredAtSize 0 when every stored checkpoint was checked; otherwise the size of the checkpoint an earlier
 *     run with no findings accepted, checked again by this run, which then checked only the stored checkpoints
 *     above it (every leaf and stored tile hash is checked either way)
 */
public record VerificationReport(
        UUID id,
        TenantId tenant,
        Instant startedAt,
        Instant finishedAt,
        long treeSize,
        long eventsChecked,
        long checkpointsChecked,
        long anchoredAtSize,
        String triggeredBy,
        List<VerificationFinding> findings,
        boolean findingsTruncated) {

    public VerificationReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        findings = List.copyOf(findings);
    }

    public boolean ok() {
        return findings.isEmpty();
    }
}
