package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyAlreadyRetired;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetirementProposal;
import io.stenographer.domain.retention.ShorteningProposal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stored, tenant-scoped retention policy versions. Append-only: a change is a new version, a retirement is a
 * new row beside the version it retires; nothing is ever updated or deleted. Policies that apply to all
 * tenants come from configuration, never from here. Every call runs inside the caller's transaction.
 */
public interface StoreRetentionPoliciesPort {

    /**
     * Stores a new version of a tenant's policy ({@code policy.matcher().tenant()} is set).
     *
     * @throws PolicyVersionTaken if that (tenant, id, version) exists already (a concurrent change won)
     */
    void appendVersion(RetentionPolicy policy);

    /**
     * Stores the version a shortening proposal describes, with its approval; throws {@link PolicyVersionTaken} when
     * the version exists already.
     */
    void appendApprovedVersion(ShorteningProposal proposal, String approvedBy, Instant approvedAt);

    void appendProposal(ShorteningProposal proposal);

    Optional<ShorteningProposal> proposal(TenantId tenant, UUID id);

    /** Records a request to retire a version; it changes nothing until a second admin approves it. */
    void appendRetirementProposal(RetirementProposal proposal);

    Optional<RetirementProposal> retirementProposal(TenantId tenant, UUID id);

    /**
     * Records that the version a retirement proposal names was retired (by its proposer, at the approval), with the
     * approval.
     *
     * @throws PolicyAlreadyRetired if it was retired already (a concurrent approval won)
     */
    void appendApprovedRetirement(RetirementProposal proposal, String approvedBy, Instant approvedAt);

    /** Every version of one policy, oldest first, each with its retirement applied; empty if there is none. */
    List<RetentionPolicy> versions(TenantId tenant, PolicyId id);

    /** The tenant's active policies: per id the latest version, unless that version is retired. */
    List<RetentionPolicy> active(TenantId tenant);

    /** Another transaction stored this policy version first. */
    class PolicyVersionTaken extends RuntimeException {

        public PolicyVersionTaken(TenantId tenant, PolicyId id, int version) {
            super("version " + version + " of policy '" + id + "' of tenant " + tenant + " exists already");
        }
    }
}
