package io.stenographer.domain.log;

import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** The outcome of recomputing a tenant's whole log from its stored events. */
public record VerificationReport(
        UUID id,
        TenantId tenant,
        Instant startedAt,
        Instant finishedAt,
        long treeSize,
        long eventsChecked,
        long checkpointsChecked,
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
