package io.stenographer.adapters.rest.retention;

import io.stenographer.domain.retention.RetirementProposal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A request to retire a tenant's policy, waiting for a second compliance admin's approval. */
@Schema(name = "RetirementProposal")
public record RetirementProposalResponse(
        String proposalId,
        @Schema(enumeration = {"pending-approval"}) String status,
        @Schema(description = "The version that is retired once a different compliance admin approves") int baseVersion,
        String proposedBy,
        String proposedAt,
        @Schema(description = "The version in force until then") RetentionPolicyResponse retiring,
        @Schema(description = "POST here (as another compliance admin) to approve") String approve) {

    static RetirementProposalResponse from(RetirementProposal proposal) {
        String tenant = proposal.retiring().matcher().tenant().value();
        return new RetirementProposalResponse(proposal.id().toString(), "pending-approval",
                proposal.retiring().version(), proposal.proposedBy(), proposal.proposedAt().toString(),
                RetentionPolicyResponse.from(proposal.retiring()),
                "/api/v1/retention-policies/" + proposal.retiring().id() + "/proposals/" + proposal.id()
                        + "/approval?tenant=" + tenant);
    }
}
