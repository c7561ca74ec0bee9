package io.stenographer.domain.retention;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A request to retire a tenant's policy. Retiring hands the policy's events to the next matching policy, which may
 * keep them for less time (a configured default, or a broader tenant policy), so it takes effect only when a second
 * compliance admin approves it (four eyes), like a {@link ShorteningProposal}; until then the version stays in force.
 *
 * @param retiring the active version that is retired once approved
 */
public record RetirementProposal(UUID id, RetentionPolicy retiring, String proposedBy, Instant proposedAt) {

    public RetirementProposal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(retiring, "retiring");
        Objects.requireNonNull(proposedBy, "proposedBy");
        Objects.requireNonNull(proposedAt, "proposedAt");
        if (retiring.matcher().tenant() == null) {
            throw new IllegalArgumentException("only a tenant's policy can be retired; configured ones change in "
                    + "configuration");
        }
        if (!retiring.isActive()) {
            throw new IllegalArgumentException("version " + retiring.version() + " of policy '" + retiring.id()
                    + "' is retired already");
        }
    }
}
