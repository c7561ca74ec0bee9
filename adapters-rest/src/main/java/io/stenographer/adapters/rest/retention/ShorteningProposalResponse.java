package io.stenographer.adapters.rest.retention;

import io.stenographer.domain.retention.ShorteningProposal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A policy version that would keep some of the tenant's events for less time than today, waiting for a second
 * compliance admin's approval.
 */
@Schema(name = "ShorteningProposal")
public record ShorteningProposalResponse(
        String proposalId,
        @Schema(enumeration = {"pending-approval"}) String status,
        @Schema(description = "The policy id's latest version when proposed (retired or not); 0 for a new id")
        int baseVersion,
        String proposedBy,
        String proposedAt,
        @Schema(description = "The version that is stored once a different compliance admin approves")
        RetentionPolicyResponse proposed,
        @Schema(description = "POST here (as another compliance admin) to approve") String approve) {

    static ShorteningProposalResponse from(ShorteningProposal proposal) {
        String tenant = proposal.proposed().matcher().tenant().value();
        return new ShorteningProposalResponse(proposal.id().toString(), "pending-approval", proposal.baseVersion(),
                proposal.proposedBy(), proposal.proposedAt().toString(),
                RetentionPolicyResponse.from(proposal.proposed()),
                "/api/v1/retention-policies/" + proposal.proposed().id() + "/proposals/" + proposal.id()
                        + "/approval?tenant=" + tenant);
    }
}
