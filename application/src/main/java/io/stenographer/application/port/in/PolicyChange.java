package io.stenographer.application.port.in;

import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.ShorteningProposal;
import java.util.Optional;

/**
 * What asking for a new policy version did: stored it ({@code applied}), or, because it shortens retention,
 * recorded a {@code proposal} that waits for a second compliance admin. Exactly one of the two is present.
 */
public record PolicyChange(RetentionPolicy applied, ShorteningProposal proposal) {

    public PolicyChange {
        if ((applied == null) == (proposal == null)) {
            throw new IllegalArgumentException("a policy change is either applied or awaiting approval");
        }
    }

    public static PolicyChange applied(RetentionPolicy policy) {
        return new PolicyChange(policy, null);
    }

    public static PolicyChange awaitingApproval(ShorteningProposal proposal) {
        return new PolicyChange(null, proposal);
    }

    public Optional<ShorteningProposal> awaitingApproval() {
        return Optional.ofNullable(proposal);
    }
}
