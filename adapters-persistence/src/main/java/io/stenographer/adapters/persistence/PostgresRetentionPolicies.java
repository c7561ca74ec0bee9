package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.StoreRetentionPoliciesPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyAlreadyRetired;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.PolicyMatcher;
import io.stenographer.domain.retention.RetentionPeriod;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetirementProposal;
import io.stenographer.domain.retention.ShorteningProposal;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Tenant policy versions and their retirements, on the transaction's JDBC connection. Inserts use
 * {@code ON CONFLICT DO NOTHING} so that losing a race is a clear answer, not an aborted transaction.
 */
@ApplicationScoped
public class PostgresRetentionPolicies implements StoreRetentionPoliciesPort {

    private static final String SELECT = """
            SELECT v.tenant, v.policy_id, v.version, v.action_pattern, v.resource_type, v.archive_after,
                   v.retain_for, v.legal_basis, v.created_by, v.created_at, r.retired_by, r.retired_at
            FROM retention_policy_version v
            LEFT JOIN retention_policy_retirement r
                   ON r.tenant = v.tenant AND r.policy_id = v.policy_id AND r.version = v.version""";

    private final Jdbc jdbc;

    PostgresRetentionPolicies(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public void appendVersion(RetentionPolicy policy) {
        insertVersion(policy, null, null, null);
    }

    @Override
    public void appendApprovedVersion(ShorteningProposal proposal, String approvedBy, Instant approvedAt) {
        insertVersion(proposal.proposed(), proposal.id(), approvedBy, approvedAt);
    }

    @Override
    public void appendProposal(ShorteningProposal proposal) {
        RetentionPolicy policy = proposal.proposed();
        jdbc.update("""
                INSERT INTO retention_policy_proposal (id, tenant, policy_id, base_version, action_pattern,
                    resource_type, archive_after, retain_for, legal_basis, proposed_by, proposed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setObject(1, proposal.id());
            ps.setString(2, policy.matcher().tenant().value());
            ps.setString(3, policy.id().value());
            ps.setInt(4, proposal.baseVersion());
            ps.setString(5, policy.matcher().actionPattern());
            ps.setString(6, policy.matcher().resourceType());
            ps.setString(7, policy.archiveAfter().iso());
            ps.setString(8, policy.retainFor().iso());
            ps.setString(9, policy.legalBasis());
            ps.setString(10, proposal.proposedBy());
            ps.setObject(11, utc(proposal.proposedAt()));
        });
    }

    @Override
    public Optional<ShorteningProposal> proposal(TenantId tenant, UUID id) {
        return jdbc.first("""
                SELECT policy_id, base_version, action_pattern, resource_type, archive_after, retain_for, legal_basis,
                    proposed_by, proposed_at
                FROM retention_policy_proposal WHERE tenant = ? AND id = ?""", ps -> {
            ps.setString(1, tenant.value());
            ps.setObject(2, id);
        }, rs -> {
            Instant proposedAt = rs.getObject(9, OffsetDateTime.class).toInstant();
            RetentionPolicy proposed = RetentionPolicy.create(new PolicyId(rs.getString(1)), rs.getInt(2) + 1,
                    new PolicyMatcher(tenant, rs.getString(3), rs.getString(4)), RetentionPeriod.parse(rs.getString(5)),
                    RetentionPeriod.parse(rs.getString(6)), rs.getString(7), rs.getString(8), proposedAt);
            return new ShorteningProposal(id, proposed, rs.getInt(2), rs.getString(8), proposedAt);
        });
    }

    private void insertVersion(RetentionPolicy policy, UUID proposalId, String approvedBy, Instant approvedAt) {
        TenantId tenant = policy.matcher().tenant();
        if (tenant == null || !policy.isActive()) {
            throw new IllegalArgumentException("only active, tenant-scoped policy versions are stored");
        }
        // The function refuses a version without its retention.policy.created event in the tenant's log, one that
        // shortens its id's active version without a proposal, and one whose proposal no second admin approved (V8, V11).
        boolean inserted = jdbc.query(
                "SELECT stenographer_add_retention_policy_version(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, tenant.value());
                    ps.setString(2, policy.id().value());
                    ps.setInt(3, policy.version());
                    ps.setString(4, policy.matcher().actionPattern());
                    ps.setString(5, policy.matcher().resourceType());
                    ps.setString(6, policy.archiveAfter().iso());
                    ps.setString(7, policy.retainFor().iso());
                    ps.setString(8, policy.legalBasis());
                    ps.setString(9, policy.createdBy());
                    ps.setObject(10, utc(policy.createdAt()));
                    ps.setObject(11, proposalId);
                    ps.setString(12, approvedBy);
                    ps.setObject(13, approvedAt == null ? null : utc(approvedAt));
                }, rs -> rs.getBoolean(1)).get(0);
        if (!inserted) {
            throw new PolicyVersionTaken(tenant, policy.id(), policy.version());
        }
    }

    @Override
    public void appendRetirementProposal(RetirementProposal proposal) {
        RetentionPolicy retiring = proposal.retiring();
        jdbc.update("""
                INSERT INTO retention_policy_retirement_proposal (id, tenant, policy_id, version, proposed_by,
                    proposed_at)
                VALUES (?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setObject(1, proposal.id());
            ps.setString(2, retiring.matcher().tenant().value());
            ps.setString(3, retiring.id().value());
            ps.setInt(4, retiring.version());
            ps.setString(5, proposal.proposedBy());
            ps.setObject(6, utc(proposal.proposedAt()));
        });
    }

    @Override
    public Optional<RetirementProposal> retirementProposal(TenantId tenant, UUID id) {
        // The version as it was proposed for retirement, active: whether it was retired since is for the caller to
        // judge against the policy's versions.
        return jdbc.first("""
                SELECT v.tenant, v.policy_id, v.version, v.action_pattern, v.resource_type, v.archive_after,
                       v.retain_for, v.legal_basis, v.created_by, v.created_at, NULL::text, NULL::timestamptz, p.proposed_by,
                       p.proposed_at
                FROM retention_policy_retirement_proposal p
                JOIN retention_policy_version v
                  ON v.tenant = p.tenant AND v.policy_id = p.policy_id AND v.version = p.version
                WHERE p.tenant = ? AND p.id = ?""", ps -> {
            ps.setString(1, tenant.value());
            ps.setObject(2, id);
        }, rs -> new RetirementProposal(id, policy(rs), rs.getString(13),
                rs.getObject(14, OffsetDateTime.class).toInstant()));
    }

    @Override
    public void appendApprovedRetirement(RetirementProposal proposal, String approvedBy, Instant approvedAt) {
        // The function takes the tenant, policy, version and proposer from the proposal row itself; it refuses an
        // approval by the proposer and a retirement without its retention.policy.retired event (V10).
        boolean inserted = jdbc.query("SELECT stenographer_retire_retention_policy(?, ?, ?)", ps -> {
            ps.setObject(1, proposal.id());
            ps.setString(2, approvedBy);
            ps.setObject(3, utc(approvedAt));
        }, rs -> rs.getBoolean(1)).get(0);
        if (!inserted) {
            RetentionPolicy retiring = proposal.retiring();
            throw new PolicyAlreadyRetired(retiring.id(), retiring.version());
        }
    }

    @Override
    public List<RetentionPolicy> versions(TenantId tenant, PolicyId id) {
        return jdbc.query(SELECT + " WHERE v.tenant = ? AND v.policy_id = ? ORDER BY v.version", ps -> {
            ps.setString(1, tenant.value());
            ps.setString(2, id.value());
        }, PostgresRetentionPolicies::policy);
    }

    @Override
    public List<RetentionPolicy> active(TenantId tenant) {
        // Every version, newest first per id; the first row of each id decides. Served by the primary key.
        List<RetentionPolicy> latest = jdbc.query(SELECT + " WHERE v.tenant = ? ORDER BY v.policy_id, v.version DESC",
                ps -> ps.setString(1, tenant.value()), PostgresRetentionPolicies::policy);
        List<RetentionPolicy> active = new ArrayList<>();
        PolicyId previous = null;
        for (RetentionPolicy policy : latest) {
            if (!policy.id().equals(previous) && policy.isActive()) {
                active.add(policy);
            }
            previous = policy.id();
        }
        return active;
    }

    private static RetentionPolicy policy(ResultSet rs) throws SQLException {
        OffsetDateTime retiredAt = rs.getObject(12, OffsetDateTime.class);
        return new RetentionPolicy(
                new PolicyId(rs.getString(2)),
                rs.getInt(3),
                new PolicyMatcher(new TenantId(rs.getString(1)), rs.getString(4), rs.getString(5)),
                RetentionPeriod.parse("archiveAfter", rs.getString(6)),
                RetentionPeriod.parse("retainFor", rs.getString(7)),
                rs.getString(8),
                rs.getString(9),
                rs.getObject(10, OffsetDateTime.class).toInstant(),
                retiredAt == null ? null : retiredAt.toInstant(),
                rs.getString(11));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
