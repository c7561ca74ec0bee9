package io.stenographer.domain.report;

import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.RetentionPeriod;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * How long generated report files are kept, and what keeps one longer. A file is kept {@code keepFor} from the
 * moment it was stored; {@code minimum} is the shortest {@code keepFor} configuration may set (the database keeps
 * its own floor as well, which the application cannot lower).
 *
 * <p>A legal hold keeps a report's file when the hold is one of the report's tenant's, is active, and its
 * {@code occurredAt} range overlaps the report's period. The hold's other criteria (actor, action, resource) are
 * deliberately not compared: which events a report holds depends on its own filters and its content, and a file
 * kept a little too long is the safe side of that judgement. The database's purge function applies the same rule.
 */
public record ReportFileRetention(RetentionPeriod keepFor, RetentionPeriod minimum) {

    public ReportFileRetention {
        Objects.requireNonNull(keepFor, "keepFor");
        Objects.requireNonNull(minimum, "minimum");
        if (keepFor.isShorterThan(minimum)) {
            throw new IllegalArgumentException("report files must be kept at least " + minimum.iso() + ", the configured"
                    + " minimum; the configured retention is " + keepFor.iso());
        }
    }

    /** When a file stored at {@code storedAt} may be purged. */
    public Instant expiresAt(Instant storedAt) {
        return keepFor.addTo(storedAt);
    }

    public boolean expired(ReportFile file, Instant now) {
        return !now.isBefore(expiresAt(file.storedAt()));
    }

    /**
     * Only files stored before this instant can have expired at {@code now}; check each with {@link #expired}. Calendar
     * periods have no fixed length (a month from 31 January ends on 28 or 29 February), hence the four days' slack.
     */
    public Instant storedBefore(Instant now) {
        return now.atOffset(ZoneOffset.UTC).minus(keepFor.date()).minus(keepFor.time()).plusDays(4).toInstant();
    }

    /** The active hold of {@code holds} that keeps the report's file, if one does. */
    public static LegalHold holdKeeping(ReportJob report, List<LegalHold> holds) {
        for (LegalHold hold : holds) {
            if (keeps(hold, report)) {
                return hold;
            }
        }
        return null;
    }

    static boolean keeps(LegalHold hold, ReportJob report) {
        if (!hold.isActive() || !hold.tenant().equals(report.tenant())) {
            return false;
        }
        HoldCriteria criteria = hold.criteria();
        Instant from = report.parameters().from();
        Instant to = report.parameters().to();
        return (criteria.from() == null || criteria.from().isBefore(to))
                && (criteria.to() == null || criteria.to().isAfter(from));
    }
}
