package io.stenographer.domain.retention;

import io.stenographer.domain.event.FieldViolation;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a retention policy: events its {@link PolicyMatcher} selects are archived (copied to
 * WORM storage and removed from the hot store) once {@code archiveAfter} has passed since they were
 * received, and the archived copy is kept for {@code retainFor} since they were received. Versions are
 * never changed: a change is a new version, and retirement is recorded beside the version it retires.
 *
 * <p>Invariants: version ≥ 1; {@code retainFor} is longer than zero and at least {@code archiveAfter}
 * (compared as {@link RetentionPeriod#compareTo} defines); the legal basis is non-blank text of at most
 * {@value #MAX_LEGAL_BASIS_LENGTH} characters; a retirement has both its time (not before creation) and
 * its author, or neither.
 */
public record RetentionPolicy(
        PolicyId id,
        int version,
        PolicyMatcher matcher,
        RetentionPeriod archiveAfter,
        RetentionPeriod retainFor,
        String legalBasis,
        String createdBy,
        Instant createdAt,
        Instant retiredAt,
        String retiredBy) {

    public static final int MAX_LEGAL_BASIS_LENGTH = 1000;

    public RetentionPolicy {
        if (id == null) {
            throw new FieldViolation("id", "is required");
        }
        if (version < 1) {
            throw new FieldViolation("version", "must be at least 1");
        }
        if (matcher == null) {
            throw new IllegalArgumentException("a policy needs a matcher (PolicyMatcher.ANY for all events)");
        }
        if (archiveAfter == null) {
            throw new FieldViolation("archiveAfter", "is required");
        }
        if (retainFor == null) {
            throw new FieldViolation("retainFor", "is required");
        }
        if (retainFor.isZero()) {
            throw new FieldViolation("retainFor", "must be longer than zero");
        }
        if (retainFor.isShorterThan(archiveAfter)) {
            throw new FieldViolation("retainFor",
                    "must be at least archiveAfter (" + archiveAfter.iso() + "), is " + retainFor.iso());
        }
        legalBasis = RetentionTexts.required("legalBasis", legalBasis, MAX_LEGAL_BASIS_LENGTH);
        createdBy = RetentionTexts.required("createdBy", createdBy, RetentionTexts.MAX_NAME_LENGTH);
        Objects.requireNonNull(createdAt, "createdAt");
        if ((retiredAt == null) != (retiredBy == null)) {
            throw new IllegalArgumentException("a retirement has both its time and its author, or neither");
        }
        if (retiredBy != null) {
            retiredBy = RetentionTexts.required("retiredBy", retiredBy, RetentionTexts.MAX_NAME_LENGTH);
            if (retiredAt.isBefore(createdAt)) {
                throw new IllegalArgumentException("a policy cannot be retired before it was created");
            }
        }
    }

    /** A new, active version. */
    public static RetentionPolicy create(PolicyId id, int version, PolicyMatcher matcher, RetentionPeriod archiveAfter,
            RetentionPeriod retainFor, String legalBasis, String createdBy, Instant createdAt) {
        return new RetentionPolicy(id, version, matcher, archiveAfter, retainFor, legalBasis, createdBy, createdAt,
                null, null);
    }

    public boolean isActive() {
        return retiredAt == null;
    }

    /**
     * This version, retired by {@code by} at {@code at}.
     *
     * @throws PolicyAlreadyRetired if it is retired already
     */
    public RetentionPolicy retire(String by, Instant at) {
        if (!isActive()) {
            throw new PolicyAlreadyRetired(id, version);
        }
        Objects.requireNonNull(at, "at");
        return new RetentionPolicy(id, version, matcher, archiveAfter, retainFor, legalBasis, createdBy, createdAt,
                at, by);
    }
}
