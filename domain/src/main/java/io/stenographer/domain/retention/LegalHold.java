package io.stenographer.domain.retention;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A legal hold: while it is active, no event it covers may leave the hot store or have its archived copy
 * deleted, whatever its retention policy says. A hold is placed once and released at most once; both are
 * recorded, never erased. The three release fields are null while the hold is active and all set once it
 * is released.
 */
public record LegalHold(
        HoldId id,
        TenantId tenant,
        HoldCriteria criteria,
        String caseReference,
        String reason,
        String placedBy,
        Instant placedAt,
        String releasedBy,
        Instant releasedAt,
        String releaseReason) {

    public static final int MAX_CASE_REFERENCE_LENGTH = 256;
    public static final int MAX_REASON_LENGTH = 2048;

    public LegalHold {
        if (id == null) {
            throw new FieldViolation("id", "is required");
        }
        if (tenant == null) {
            throw new FieldViolation("tenant", "is required");
        }
        criteria = criteria == null ? HoldCriteria.WHOLE_TENANT : criteria;
        caseReference = RetentionTexts.optional("caseReference", caseReference, MAX_CASE_REFERENCE_LENGTH);
        reason = RetentionTexts.required("reason", reason, MAX_REASON_LENGTH);
        placedBy = RetentionTexts.required("placedBy", placedBy, RetentionTexts.MAX_NAME_LENGTH);
        Objects.requireNonNull(placedAt, "placedAt");
        boolean anyRelease = releasedBy != null || releasedAt != null || releaseReason != null;
        if (anyRelease) {
            if (releasedBy == null || releasedAt == null || releaseReason == null) {
                throw new IllegalArgumentException("a release has its author, time and reason, or none of them");
            }
            releasedBy = RetentionTexts.required("releasedBy", releasedBy, RetentionTexts.MAX_NAME_LENGTH);
            releaseReason = RetentionTexts.required("reason", releaseReason, MAX_REASON_LENGTH);
            if (releasedAt.isBefore(placedAt)) {
                throw new IllegalArgumentException("a hold cannot be released before it was placed");
            }
        }
    }

    /** A new, active hold. */
    public static LegalHold place(HoldId id, TenantId tenant, HoldCriteria criteria, String caseReference,
            String reason, String placedBy, Instant placedAt) {
        return new LegalHold(id, tenant, criteria, caseReference, reason, placedBy, placedAt, null, null, null);
    }

    /**
     * This hold, released.
     *
     * @throws HoldAlreadyReleased if it was released before
     */
    public LegalHold release(String by, Instant at, String reason) {
        if (!isActive()) {
            throw new HoldAlreadyReleased(id);
        }
        RetentionTexts.required("reason", reason, MAX_REASON_LENGTH);
        RetentionTexts.required("releasedBy", by, RetentionTexts.MAX_NAME_LENGTH);
        Objects.requireNonNull(at, "at");
        return new LegalHold(id, tenant, criteria, caseReference, this.reason, placedBy, placedAt, by, at, reason);
    }

    public boolean isActive() {
        return releasedAt == null;
    }

    /** True while the hold is active and the event is of its tenant and matches its criteria. */
    public boolean covers(RetentionSubject subject) {
        return isActive() && tenant.equals(subject.tenant()) && criteria.matches(subject);
    }
}
