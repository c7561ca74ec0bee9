package io.stenographer.domain.log;

import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The outcome of recomputing a tenant's log from its stored events.
 *
 * @param anchoredAtSize    0 when every stored checkpoint was checked; otherwise the size of the checkpoint an
 *     earlier run with no findings accepted, checked again by this run, which then checked only the stored
 *     checkpoints above it
 * @param leavesCheckedFrom the first leaf recomputed from its event: 0 for a full run; the anchor's size for an
 *     incremental one, whose leaves below were recomputed by the earlier runs it continues and are held to the
 *     anchor's signed root through the stored tree's edge and consistency proofs
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
        long leavesCheckedFrom,
        String triggeredBy,
        List<VerificationFinding> findings,
        boolean findingsTruncated) {

    public VerificationReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        findings = List.copyOf(findings);
    }

    /** Whether every leaf was recomputed from its event, not only those above an earlier run's anchor. */
    public boolean full() {
        return leavesCheckedFrom == 0;
    }

    public boolean ok() {
        return findings.isEmpty();
    }
}
