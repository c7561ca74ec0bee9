package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.StoreRetentionPoliciesPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyAlreadyRetired;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetirementProposal;
import io.stenographer.domain.retention.ShorteningProposal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Policy versions and retirements as append-only lists, with transactional semantics like
 * {@link InMemoryEventStore}: writes stay pending until commit and vanish on rollback; every call must run
 * inside a transaction.
 */
public final class InMemoryRetentionPolicies implements StoreRetentionPoliciesPort, FakeTransactionRunner.Participant {

    record Retirement(TenantId tenant, PolicyId id, int version, String by, Instant at) {
    }

    private final FakeTransactionRunner transactions;
    private final List<RetentionPolicy> versions = new ArrayList<>();
    private final List<Retirement> retirements = new ArrayList<>();
    private final List<RetentionPolicy> pendingVersions = new ArrayList<>();
    private final List<Retirement> pendingRetirements = new ArrayList<>();
    private final List<ShorteningProposal> proposals = new ArrayList<>();
    private final List<ShorteningProposal> pendingProposals = new ArrayList<>();
    private final List<RetirementProposal> retirementProposals = new ArrayList<>();
    private final List<RetirementProposal> pendingRetirementProposals = new ArrayList<>();
    private RetentionPolicy raceWinner;

    public InMemoryRetentionPolicies(FakeTransactionRunner transactions) {
        this.transactions = transactions;
        transactions.enlist(this);
    }

    /** The next appendVersion loses a race to {@code winner}, committed by a concurrent transaction. */
    public void loseNextAppendTo(RetentionPolicy winner) {
        raceWinner = winner;
    }

    @Override
    public void appendVersion(RetentionPolicy policy) {
        requireTransaction();
        Objects.requireNonNull(policy.matcher().tenant(), "stored policies are tenant-scoped");
        if (!policy.isActive()) {
            throw new IllegalStateException("a new version is stored active; retirement is its own row");
        }
        if (raceWinner != null) {
            versions.add(raceWinner);
            raceWinner = null;
        }
        TenantId tenant = policy.matcher().tenant();
        if (allVersions().anyMatch(same(tenant, policy.id(), policy.version()))) {
            throw new PolicyVersionTaken(tenant, policy.id(), policy.version());
        }
        pendingVersions.add(policy);
    }

    /** As the database: only a proposal approved by someone other than its proposer becomes a version. */
    @Override
    public void appendApprovedVersion(ShorteningProposal proposal, String approvedBy, Instant approvedAt) {
        requireTransaction();
        if (Stream.concat(proposals.stream(), pendingProposals.stream()).noneMatch(proposal::equals)) {
            throw new IllegalStateException("no such proposal");
        }
        if (proposal.proposedBy().equals(approvedBy)) {
            throw new IllegalStateException("four eyes: the proposer cannot approve");
        }
        appendVersion(proposal.proposed());
    }

    @Override
    public void appendProposal(ShorteningProposal proposal) {
        requireTransaction();
        TenantId tenant = proposal.proposed().matcher().tenant();
        int latest = allVersions().filter(v -> v.matcher().tenant().equals(tenant)
                && v.id().equals(proposal.proposed().id())).mapToInt(RetentionPolicy::version).max().orElse(0);
        if (latest != proposal.baseVersion()) {
            throw new IllegalStateException("as the database: a proposal builds on the latest version (" + latest + ")");
        }
        pendingProposals.add(proposal);
    }

    @Override
    public Optional<ShorteningProposal> proposal(TenantId tenant, UUID id) {
        requireTransaction();
        return Stream.concat(proposals.stream(), pendingProposals.stream())
                .filter(p -> p.id().equals(id) && p.proposed().matcher().tenant().equals(tenant))
                .findFirst();
    }

    @Override
    public void appendRetirementProposal(RetirementProposal proposal) {
        requireTransaction();
        pendingRetirementProposals.add(proposal);
    }

    @Override
    public Optional<RetirementProposal> retirementProposal(TenantId tenant, UUID id) {
        requireTransaction();
        return Stream.concat(retirementProposals.stream(), pendingRetirementProposals.stream())
                .filter(p -> p.id().equals(id) && p.retiring().matcher().tenant().equals(tenant))
                .findFirst();
    }

    /** As the database: only a proposal approved by someone other than its proposer retires a version. */
    @Override
    public void appendApprovedRetirement(RetirementProposal proposal, String approvedBy, Instant approvedAt) {
        requireTransaction();
        if (Stream.concat(retirementProposals.stream(), pendingRetirementProposals.stream())
                .noneMatch(proposal::equals)) {
            throw new IllegalStateException("no such retirement proposal");
        }
        if (proposal.proposedBy().equals(approvedBy)) {
            throw new IllegalStateException("four eyes: the proposer cannot approve");
        }
        RetentionPolicy retiring = proposal.retiring();
        TenantId tenant = retiring.matcher().tenant();
        PolicyId id = retiring.id();
        int version = retiring.version();
        boolean taken = Stream.concat(retirements.stream(), pendingRetirements.stream())
                .anyMatch(r -> r.tenant().equals(tenant) && r.id().equals(id) && r.version() == version);
        if (taken) {
            throw new PolicyAlreadyRetired(id, version);
        }
        pendingRetirements.add(new Retirement(tenant, id, version, proposal.proposedBy(), approvedAt));
    }

    @Override
    public List<RetentionPolicy> versions(TenantId tenant, PolicyId id) {
        requireTransaction();
        return allVersions()
                .filter(p -> p.matcher().tenant().equals(tenant) && p.id().equals(id))
                .sorted(Comparator.comparingInt(RetentionPolicy::version))
                .map(this::withRetirement)
                .toList();
    }

    @Override
    public List<RetentionPolicy> active(TenantId tenant) {
        requireTransaction();
        Map<PolicyId, RetentionPolicy> latest = new LinkedHashMap<>();
        allVersions().filter(p -> p.matcher().tenant().equals(tenant))
                .sorted(Comparator.comparingInt(RetentionPolicy::version))
                .forEach(p -> latest.put(p.id(), p));
        return latest.values().stream().map(this::withRetirement).filter(RetentionPolicy::isActive).toList();
    }

    @Override
    public void commit() {
        versions.addAll(pendingVersions);
        retirements.addAll(pendingRetirements);
        pendingVersions.clear();
        pendingRetirements.clear();
        proposals.addAll(pendingProposals);
        pendingProposals.clear();
        retirementProposals.addAll(pendingRetirementProposals);
        pendingRetirementProposals.clear();
    }

    @Override
    public void rollback() {
        pendingProposals.clear();
        pendingRetirementProposals.clear();
        pendingVersions.clear();
        pendingRetirements.clear();
    }

    public List<RetentionPolicy> committedVersions() {
        return List.copyOf(versions);
    }

    public int committedRetirements() {
        return retirements.size();
    }

    private RetentionPolicy withRetirement(RetentionPolicy policy) {
        return Stream.concat(retirements.stream(), pendingRetirements.stream())
                .filter(r -> r.tenant().equals(policy.matcher().tenant()) && r.id().equals(policy.id())
                        && r.version() == policy.version())
                .findFirst()
                .map(r -> policy.retire(r.by(), r.at()))
                .orElse(policy);
    }

    private Stream<RetentionPolicy> allVersions() {
        return Stream.concat(versions.stream(), pendingVersions.stream());
    }

    private static Predicate<RetentionPolicy> same(TenantId tenant, PolicyId id, int version) {
        return p -> p.matcher().tenant().equals(tenant) && p.id().equals(id) && p.version() == version;
    }

    private void requireTransaction() {
        if (transactions.current() == 0) {
            throw new IllegalStateException("called outside a transaction");
        }
    }
}
