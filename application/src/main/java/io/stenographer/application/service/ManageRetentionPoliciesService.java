package io.stenographer.application.service;

import io.stenographer.application.port.in.ApproveShorteningCommand;
import io.stenographer.application.port.in.CreateRetentionPolicyCommand;
import io.stenographer.application.port.in.FourEyesRequired;
import io.stenographer.application.port.in.ManageRetentionPoliciesUseCase;
import io.stenographer.application.port.in.PolicyChange;
import io.stenographer.application.port.in.RetentionPoliciesQuery;
import io.stenographer.application.port.in.RetentionPolicyConflict;
import io.stenographer.application.port.in.RetentionPolicyNotFound;
import io.stenographer.application.port.in.RetentionPolicyVersionsQuery;
import io.stenographer.application.port.in.RetireRetentionPolicyCommand;
import io.stenographer.application.port.in.ShorteningProposalNotFound;
import io.stenographer.application.port.out.StoreRetentionPoliciesPort;
import io.stenographer.application.port.out.StoreRetentionPoliciesPort.PolicyVersionTaken;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.retention.PolicyAlreadyRetired;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.RetentionFloor;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetentionShortenings;
import io.stenographer.domain.retention.RetentionShortenings.Shortening;
import io.stenographer.domain.retention.RetirementProposal;
import io.stenographer.domain.retention.ShorteningProposal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Creates and retires versions of tenant policies, each change with its self-audit event in one transaction,
 * and reads them together with the configured all-tenant policies. A version that would keep any kind of the tenant's
 * events for less time than resolution gives them today (a shorter version, a new more specific id, a retired id
 * created again; see {@link RetentionShortenings}), and every retirement, are first proposals that a second compliance
 * admin approves (four eyes).
 */
public final class ManageRetentionPoliciesService implements ManageRetentionPoliciesUseCase {

    static final String POLICY_CREATED = "retention.policy.created";
    static final String POLICY_RETIRED = "retention.policy.retired";
    static final String SHORTENING_PROPOSED = "retention.policy.shortening-proposed";
    static final String SHORTENING_APPROVED = "retention.policy.shortening-approved";
    static final String RETIREMENT_PROPOSED = "retention.policy.retirement-proposed";
    static final String RETIREMENT_APPROVED = "retention.policy.retirement-approved";
    static final String RESOURCE_TYPE = "retention-policy";
    static final int MAX_DESCRIBED_SHORTENINGS = 20;

    private final StoreRetentionPoliciesPort policies;
    private final ActiveRetentionPolicies active;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;
    private final RetentionFloor floor;

    public ManageRetentionPoliciesService(StoreRetentionPoliciesPort policies, ActiveRetentionPolicies active,
            SelfAudit selfAudit, TransactionRunner transactions, Clock clock, RandomGenerator random,
            RetentionFloor floor) {
        this.random = random;
        this.floor = floor;
        this.policies = policies;
        this.active = active;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public PolicyChange create(CreateRetentionPolicyCommand command) {
        Caller caller = command.caller();
        TenantId tenant = command.tenant();
        caller.require(Role.COMPLIANCE_ADMIN, tenant);
        floor.check(tenant, command.retainFor());
        if (active.isConfigured(command.id())) {
            throw new RetentionPolicyConflict(command.id(), "'" + command.id()
                    + "' is a configured all-tenant policy; choose another id for a tenant policy");
        }
        return transactions.inTransaction(() -> {
            List<RetentionPolicy> versions = policies.versions(tenant, command.id());
            int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
            Instant now = Timestamps.truncate(clock.instant());
            RetentionPolicy policy = RetentionPolicy.create(command.id(), version, command.matcher(),
                    command.archiveAfter(), command.retainFor(), command.legalBasis(), caller.subject(), now);
            RetentionPolicy latest = versions.isEmpty() ? null : versions.get(versions.size() - 1);
            RetentionPolicies today = active.forTenant(tenant);
            List<Shortening> shortenings = RetentionShortenings.between(today, today.with(policy), tenant);
            if (ShorteningProposal.shortens(latest, policy.retainFor()) || !shortenings.isEmpty()) {
                ShorteningProposal proposal = new ShorteningProposal(new UUID(random.nextLong(), random.nextLong()),
                        policy, version - 1, caller.subject(), now);
                Map<String, JsonValue> metadata = describe(policy);
                metadata.put("proposalId", new JsonString(proposal.id().toString()));
                if (latest != null && latest.isActive()) {
                    metadata.put("currentRetainFor", new JsonString(latest.retainFor().iso()));
                }
                metadata.put("shortens", describe(shortenings));
                audit(caller, tenant, SHORTENING_PROPOSED, policy.id(), metadata);
                policies.appendProposal(proposal);
                return PolicyChange.awaitingApproval(proposal);
            }
            Map<String, JsonValue> metadata = describe(policy);
            if (version > 1) {
                RetentionPolicy previous = versions.get(versions.size() - 1);
                metadata.put("previousVersion", new JsonNumber(previous.version()));
                metadata.put("previousRetainFor", new JsonString(previous.retainFor().iso()));
            }
            // The event first: the database refuses a policy version that left no trace in the tenant's log.
            audit(caller, tenant, POLICY_CREATED, policy.id(), metadata);
            try {
                policies.appendVersion(policy);
            } catch (PolicyVersionTaken e) {
                throw new RetentionPolicyConflict(command.id(), "policy '" + command.id()
                        + "' was changed concurrently; read its versions and try again");
            }
            return PolicyChange.applied(policy);
        });
    }

    @Override
    public RetentionPolicy approve(ApproveShorteningCommand command) {
        Caller caller = command.caller();
        TenantId tenant = command.tenant();
        caller.require(Role.COMPLIANCE_ADMIN, tenant);
        return transactions.inTransaction(() -> {
            Optional<ShorteningProposal> shortening = policies.proposal(tenant, command.proposalId())
                    .filter(found -> found.proposed().id().equals(command.policyId()));
            if (shortening.isEmpty()) {
                RetirementProposal retirement = policies.retirementProposal(tenant, command.proposalId())
                        .filter(found -> found.retiring().id().equals(command.policyId()))
                        .orElseThrow(() -> new ShorteningProposalNotFound(command.proposalId()));
                return approveRetirement(caller, tenant, retirement);
            }
            ShorteningProposal proposal = shortening.get();
            if (proposal.proposedBy().equals(caller.subject())) {
                throw new FourEyesRequired("shortening policy '" + command.policyId() + "' was proposed by "
                        + caller.subject() + "; a different compliance admin must approve it");
            }
            List<RetentionPolicy> versions = policies.versions(tenant, command.policyId());
            RetentionPolicy latest = versions.isEmpty() ? null : versions.get(versions.size() - 1);
            if (changedSince(proposal, latest)) {
                throw new RetentionPolicyConflict(command.policyId(), "policy '" + command.policyId()
                        + "' changed after this proposal (now version " + (latest == null ? 0 : latest.version())
                        + (latest == null || latest.isActive() ? "" : ", retired") + "); propose the change again");
            }
            RetentionPolicy policy = proposal.proposed();
            Map<String, JsonValue> metadata = describe(policy);
            if (latest != null) {
                metadata.put("previousVersion", new JsonNumber(latest.version()));
                metadata.put("previousRetainFor", new JsonString(latest.retainFor().iso()));
            }
            metadata.put("proposalId", new JsonString(proposal.id().toString()));
            metadata.put("proposedBy", new JsonString(proposal.proposedBy()));
            metadata.put("approvedBy", new JsonString(caller.subject()));
            audit(caller, tenant, SHORTENING_APPROVED, policy.id(), metadata);
            audit(caller, tenant, POLICY_CREATED, policy.id(), metadata);
            try {
                policies.appendApprovedVersion(proposal, caller.subject(), Timestamps.truncate(clock.instant()));
            } catch (PolicyVersionTaken e) {
                throw new RetentionPolicyConflict(command.policyId(), "proposal " + proposal.id()
                        + " was approved already, or the policy changed concurrently");
            }
            return policy;
        });
    }

    /**
     * Every retirement is a proposal: the events a tenant policy governs fall back to the next matching policy,
     * which may keep them for less time (docs/RETENTION.md, "Four eyes"). Working out whether each fallback is
     * shorter would take the whole precedence order and every future event into account; asking a second admin
     * each time is simpler and cannot be wrong.
     */
    @Override
    public RetirementProposal retire(RetireRetentionPolicyCommand command) {
        Caller caller = command.caller();
        TenantId tenant = command.tenant();
        caller.require(Role.COMPLIANCE_ADMIN, tenant);
        if (active.isConfigured(command.id())) {
            throw new RetentionPolicyConflict(command.id(), "'" + command.id()
                    + "' is a configured all-tenant policy; it can only be changed in configuration");
        }
        return transactions.inTransaction(() -> {
            List<RetentionPolicy> versions = policies.versions(tenant, command.id());
            if (versions.isEmpty()) {
                throw new RetentionPolicyNotFound(tenant, command.id());
            }
            RetentionPolicy latest = versions.get(versions.size() - 1);
            if (!latest.isActive()) {
                throw new PolicyAlreadyRetired(latest.id(), latest.version());
            }
            RetirementProposal proposal = new RetirementProposal(new UUID(random.nextLong(), random.nextLong()),
                    latest, caller.subject(), Timestamps.truncate(clock.instant()));
            Map<String, JsonValue> metadata = describeRetirement(latest);
            metadata.put("proposalId", new JsonString(proposal.id().toString()));
            audit(caller, tenant, RETIREMENT_PROPOSED, latest.id(), metadata);
            policies.appendRetirementProposal(proposal);
            return proposal;
        });
    }

    private RetentionPolicy approveRetirement(Caller caller, TenantId tenant, RetirementProposal proposal) {
        PolicyId id = proposal.retiring().id();
        if (proposal.proposedBy().equals(caller.subject())) {
            throw new FourEyesRequired("retiring policy '" + id + "' was proposed by " + caller.subject()
                    + "; a different compliance admin must approve it");
        }
        List<RetentionPolicy> versions = policies.versions(tenant, id);
        RetentionPolicy latest = versions.get(versions.size() - 1);
        if (latest.version() != proposal.retiring().version() || !latest.isActive()) {
            throw new RetentionPolicyConflict(id, "policy '" + id + "' changed after this proposal (now version "
                    + latest.version() + (latest.isActive() ? "" : ", retired") + "); propose the change again");
        }
        Instant now = Timestamps.truncate(clock.instant());
        RetentionPolicy retired = latest.retire(proposal.proposedBy(), now);
        Map<String, JsonValue> metadata = describeRetirement(retired);
        metadata.put("proposalId", new JsonString(proposal.id().toString()));
        metadata.put("proposedBy", new JsonString(proposal.proposedBy()));
        metadata.put("approvedBy", new JsonString(caller.subject()));
        // The events first: the database refuses a retirement that left no trace in the tenant's log.
        audit(caller, tenant, RETIREMENT_APPROVED, id, metadata);
        audit(caller, tenant, POLICY_RETIRED, id, metadata);
        try {
            policies.appendApprovedRetirement(proposal, caller.subject(), now);
        } catch (PolicyAlreadyRetired e) {
            throw new RetentionPolicyConflict(id, "proposal " + proposal.id()
                    + " was approved already, or the policy was retired concurrently");
        }
        return retired;
    }

    @Override
    public RetentionPolicies activePolicies(RetentionPoliciesQuery query) {
        query.caller().requireGovernanceReader(query.tenant());
        return transactions.inTransaction(() -> active.forTenant(query.tenant()));
    }

    @Override
    public List<RetentionPolicy> versions(RetentionPolicyVersionsQuery query) {
        query.caller().requireGovernanceReader(query.tenant());
        for (RetentionPolicy configured : active.configured().all()) {
            if (configured.id().equals(query.id())) {
                return List.of(configured);
            }
        }
        List<RetentionPolicy> versions = transactions.inTransaction(() -> policies.versions(query.tenant(), query.id()));
        if (versions.isEmpty()) {
            throw new RetentionPolicyNotFound(query.tenant(), query.id());
        }
        return versions;
    }

    private void audit(Caller caller, TenantId tenant, String action, PolicyId id, Map<String, JsonValue> metadata) {
        selfAudit.record(caller, tenant, action, new ResourceRef(RESOURCE_TYPE, id.value()),
                new JsonObject(metadata));
    }

    /**
     * A proposal is approved only as proposed: on the version it was built on, in the state it was in then. A base
     * retired at or after the proposal changed since; one retired before it was a retired policy being re-created.
     */
    private static boolean changedSince(ShorteningProposal proposal, RetentionPolicy latest) {
        int latestVersion = latest == null ? 0 : latest.version();
        if (latestVersion != proposal.baseVersion()) {
            return true;
        }
        return latest != null && !latest.isActive() && !latest.retiredAt().isBefore(proposal.proposedAt());
    }

    /** At most {@value #MAX_DESCRIBED_SHORTENINGS} kinds of event, so a proposal's event stays small. */
    private static JsonArray describe(List<Shortening> shortenings) {
        List<JsonValue> described = new ArrayList<>();
        for (Shortening shortening : shortenings.subList(0, Math.min(shortenings.size(), MAX_DESCRIBED_SHORTENINGS))) {
            Map<String, JsonValue> kind = new LinkedHashMap<>();
            kind.put("action", new JsonString(shortening.action()));
            if (shortening.resourceType() != null) {
                kind.put("resourceType", new JsonString(shortening.resourceType()));
            }
            kind.put("governedBy", new JsonString(shortening.before().id().value()));
            kind.put("retainFor", new JsonString(shortening.before().retainFor().iso()));
            kind.put("wouldRetainFor", new JsonString(shortening.after().retainFor().iso()));
            described.add(new JsonObject(kind));
        }
        return new JsonArray(described);
    }

    private static Map<String, JsonValue> describeRetirement(RetentionPolicy policy) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("policyId", new JsonString(policy.id().value()));
        metadata.put("version", new JsonNumber(policy.version()));
        metadata.put("retainFor", new JsonString(policy.retainFor().iso()));
        return metadata;
    }

    private static Map<String, JsonValue> describe(RetentionPolicy policy) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("policyId", new JsonString(policy.id().value()));
        metadata.put("version", new JsonNumber(policy.version()));
        if (policy.matcher().actionPattern() != null) {
            metadata.put("actionPattern", new JsonString(policy.matcher().actionPattern()));
        }
        if (policy.matcher().resourceType() != null) {
            metadata.put("resourceType", new JsonString(policy.matcher().resourceType()));
        }
        metadata.put("archiveAfter", new JsonString(policy.archiveAfter().iso()));
        metadata.put("retainFor", new JsonString(policy.retainFor().iso()));
        metadata.put("legalBasis", new JsonString(policy.legalBasis()));
        return metadata;
    }
}
