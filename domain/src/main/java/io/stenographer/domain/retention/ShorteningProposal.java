package io.stenographer.domain.retention;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A new policy version that keeps records for less time: than the version it replaces, or than the policies that
 * govern the events it would take over ({@link RetentionShortenings}). It takes effect only when a second compliance
 * admin approves it (four eyes); until then the current policies stay in force.
 *
 * @param proposed the version as it will be stored once approved (its number is {@code baseVersion + 1})
 * @param baseVersion the id's latest version when proposed, retired or not; 0 for an id that has none
 */
public record ShorteningProposal(UUID id, RetentionPolicy proposed, int baseVersion, String proposedBy,
        Instant proposedAt) {

    public ShorteningProposal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(proposed, "proposed");
        Objects.requireNonNull(proposedBy, "proposedBy");
        Objects.requireNonNull(proposedAt, "proposedAt");
        if (proposed.version() != baseVersion + 1) {
            throw new IllegalArgumentException("a proposal replaces version " + baseVersion + " with version "
                    + (baseVersion + 1) + ", not " + proposed.version());
        }
    }

    /** True when {@code next} would keep some record for less time than {@code current}. */
    public static boolean shortens(RetentionPolicy current, RetentionPeriod nextRetainFor) {
        return current != null && current.isActive() && nextRetainFor.isShorterOnSomeDayThan(current.retainFor());
    }
}
