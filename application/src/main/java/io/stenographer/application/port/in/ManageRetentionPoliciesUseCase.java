package io.stenographer.application.port.in;

import io.stenographer.domain.retention.PolicyAlreadyRetired;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetirementProposal;
import java.util.List;

/**
 * Retention policies of a tenant. Writes need compliance-admin for the tenant, reads auditor or
 * compliance-admin. Every change is recorded in the tenant's own log ({@code retention.policy.created},
 * {@code retention.policy.retired}, and the proposals and approvals four eyes need) in the same transaction.
 *
 * <p>Jobs that need the policies inside their own transaction, without a caller, use
 * {@code io.stenographer.application.service.ActiveRetentionPolicies} instead of {@link #activePolicies}.
 */
public interface ManageRetentionPoliciesUseCase {

    /**
     * Stores a new version of a tenant's policy: version 1 for a new id, otherwise the latest version + 1
     * (also after a retirement, which makes the policy active again).
     *
     * A version that keeps records for less time than the active one is not stored yet: it becomes a
     * {@link PolicyChange#awaitingApproval() proposal} that a second compliance admin must {@link #approve}. Every
     * {@code retainFor} must reach the configured minimum (RetentionFloor), which the API cannot lower.
     *
     * @throws RetentionPolicyConflict if the id belongs to a configured policy or a concurrent change won
     */
    PolicyChange create(CreateRetentionPolicyCommand command);

    /**
     * Carries out a proposal on the approval of a compliance admin other than its proposer: stores the version a
     * {@link io.stenographer.domain.retention.ShorteningProposal} describes (answered active), or retires the
     * version a {@link RetirementProposal} names (answered retired). Both the proposal and the approval are
     * recorded in the tenant's log.
     *
     * @throws ShorteningProposalNotFound if there is no such proposal (of either kind) for the tenant's policy
     * @throws FourEyesRequired if the approver proposed it
     * @throws RetentionPolicyConflict if the policy changed since the proposal, or it was approved already
     */
    RetentionPolicy approve(ApproveShorteningCommand command);

    /**
     * Proposes retiring the latest version of a tenant's policy. Retiring hands its events to the next matching
     * policy, which may keep them for less time, so it never takes effect alone: a second compliance admin must
     * {@link #approve} it (four eyes); until then the version stays in force.
     *
     * @throws RetentionPolicyNotFound if the tenant has no such policy
     * @throws PolicyAlreadyRetired if it is retired already
     * @throws RetentionPolicyConflict for a configured policy (change those in configuration)
     */
    RetirementProposal retire(RetireRetentionPolicyCommand command);

    /** The policies in force for the tenant: the configured ones (with the default) and the tenant's active ones. */
    RetentionPolicies activePolicies(RetentionPoliciesQuery query);

    /**
     * Every version of one policy, oldest first; a configured policy has exactly one.
     *
     * @throws RetentionPolicyNotFound if there is no such policy for the tenant
     */
    List<RetentionPolicy> versions(RetentionPolicyVersionsQuery query);
}
