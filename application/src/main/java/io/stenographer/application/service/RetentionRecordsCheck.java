package io.stenographer.application.service;

import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.CatalogSegmentsPort.ArchivedSegment;
import io.stenographer.application.port.out.FindUntracedRetentionChangesPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.log.VerificationFinding;
import io.stenographer.domain.log.VerificationFinding.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a log verification that covers what retention trusts: the live archive segments are read back
 * from the archive store and checked (object present, digest, range root, every leaf against the log), so a
 * catalogue row forged with the application's database credentials is reported by name; and every hold
 * release and policy change must have left its self-audit event. A full run reads every live segment back; an
 * incremental one those recorded since the run it continues (their objects are under a WORM lock meanwhile).
 */
public final class RetentionRecordsCheck {

    private final CatalogSegmentsPort catalog;
    private final ArchivedEventReader archived;
    private final FindUntracedRetentionChangesPort untraced;
    private final TransactionRunner transactions;

    public RetentionRecordsCheck(CatalogSegmentsPort catalog, ArchivedEventReader archived,
            FindUntracedRetentionChangesPort untraced, TransactionRunner transactions) {
        this.catalog = catalog;
        this.archived = archived;
        this.untraced = untraced;
        this.transactions = transactions;
    }

    /**
     * What a check found, at most {@code limit} findings, and where the catalogue ended when it was read: the next
     * incremental run reads back the segments from there.
     */
    public record Result(List<VerificationFinding> findings, long segmentsCheckedUpTo) {
    }

    /** Reads back the live segments starting at {@code segmentsFrom} or later (0: all of them). */
    public Result check(TenantId tenant, int limit, long segmentsFrom) {
        List<VerificationFinding> findings = new ArrayList<>();
        long checkedUpTo = segmentsFrom;
        for (ArchivedSegment segment : transactions.inTransaction(() -> catalog.liveSegments(tenant, segmentsFrom))) {
            if (findings.size() >= limit) {
                return new Result(findings, checkedUpTo);
            }
            checkedUpTo = Math.max(checkedUpTo, segment.manifest().to());
            // One short transaction per segment: the read-back can take a while, the catalogue never changes.
            List<String> problems = transactions.inTransaction(() -> archived.problems(segment.manifest()));
            if (!problems.isEmpty()) {
                findings.add(new VerificationFinding(Kind.ARCHIVE_SEGMENT_UNSOUND, segment.manifest().from(), null,
                        "archive segment " + segment.manifest().objectKey() + " (leaves [" + segment.manifest().from()
                                + ", " + segment.manifest().to() + ")): " + String.join("; ", problems)));
            }
        }
        for (String change : transactions.inTransaction(() -> untraced.untracedChanges(tenant, limit))) {
            if (findings.size() >= limit) {
                break;
            }
            findings.add(new VerificationFinding(Kind.RETENTION_CHANGE_UNTRACED, null, null,
                    change + " has no self-audit event in the log: it was written around the service"));
        }
        return new Result(findings, checkedUpTo);
    }
}
