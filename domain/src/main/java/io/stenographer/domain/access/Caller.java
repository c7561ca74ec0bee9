package io.stenographer.domain.access;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The authenticated principal behind a request and the (role, tenant) grants its token carries. Every access
 * check in the application goes through this class: {@link #require(Role, TenantId)} for acting,
 * {@link #mayRead(TenantId)} for reading events, and {@link #mayReadGovernance(TenantId)} for reading the
 * records that govern a log (retention policies, legal holds, verification and job runs).
 */
public record Caller(String subject, String issuer, Set<Grant> grants) {

    /** One role on one tenant. */
    public record Grant(Role role, TenantId tenant) {
        public Grant {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(tenant, "tenant");
        }
    }

    public Caller {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("caller subject is required");
        }
        grants = Set.copyOf(Objects.requireNonNull(grants, "grants"));
    }

    /** A caller whose token names no issuer (the scheduler, a report's requester, tests). */
    public Caller(String subject, Set<Grant> grants) {
        this(subject, null, grants);
    }

    /**
     * Who submitted an event, as recorded in it: the token's {@code sub}, qualified by its issuer, so the same
     * subject of two identity providers can never be confused. Stable where usernames are not.
     */
    public String submitter() {
        return issuer == null ? subject : subject + "@" + issuer;
    }

    /** A token that grants every one of its roles on every one of its tenants. */
    public static Caller withRolesOnTenants(String subject, Set<Role> roles, Set<TenantId> tenants) {
        Set<Grant> grants = roles.stream()
                .flatMap(role -> tenants.stream().map(tenant -> new Grant(role, tenant)))
                .collect(Collectors.toSet());
        return new Caller(subject, grants);
    }

    /** This caller, as named by a token from {@code tokenIssuer}. */
    public Caller issuedBy(String tokenIssuer) {
        return new Caller(subject, tokenIssuer, grants);
    }

    /**
     * The tenant a request names, or the caller's only tenant when it names none: the one rule by which the API and
     * the console default a request's tenant.
     */
    public TenantId namedOrOnlyTenant(String tenant) {
        if (tenant != null) {
            return new TenantId(tenant);
        }
        Set<TenantId> mine = tenants();
        if (mine.size() == 1) {
            return mine.iterator().next();
        }
        throw new FieldViolation("tenant", "is required when the token grants more than one tenant");
    }

    /** The tenants on which the caller holds any role. */
    public Set<TenantId> tenants() {
        return grants.stream().map(Grant::tenant).collect(Collectors.toUnmodifiableSet());
    }

    public boolean may(Role role, TenantId tenant) {
        return grants.contains(new Grant(role, tenant));
    }

    /** Throws unless the caller holds {@code role} on {@code tenant}. */
    public void require(Role role, TenantId tenant) {
        if (!may(role, tenant)) {
            throw new TenantAccessDenied(subject, role, tenant);
        }
    }

    /** Reading a tenant's events, proofs, exports and reports: auditors only. */
    public boolean mayRead(TenantId tenant) {
        return may(Role.AUDITOR, tenant);
    }

    /**
     * Fetching a tenant's inclusion and consistency proofs: auditors, and its writers, so a client can check the
     * receipts it was given. Proofs reveal only hashes, indices and signed checkpoints, never an event's content.
     */
    public boolean mayProve(TenantId tenant) {
        return may(Role.AUDITOR, tenant) || may(Role.AUDIT_WRITER, tenant);
    }

    public void requireProofReader(TenantId tenant) {
        if (!mayProve(tenant)) {
            throw new TenantAccessDenied(subject, Role.AUDITOR, tenant);
        }
    }

    /**
     * Reading a tenant's checkpoint and key set while the tenant keeps them private (the default): any of its callers.
     * They reveal sizes and hashes only, and a writer checks its receipts against them.
     */
    public boolean mayReadCheckpoint(TenantId tenant) {
        return tenants().contains(tenant);
    }

    /** Reading what governs a tenant's log: auditors, and the compliance admins who manage it. */
    public boolean mayReadGovernance(TenantId tenant) {
        return may(Role.AUDITOR, tenant) || may(Role.COMPLIANCE_ADMIN, tenant);
    }

    public void requireGovernanceReader(TenantId tenant) {
        if (!mayReadGovernance(tenant)) {
            throw new TenantAccessDenied(subject, Role.AUDITOR, tenant);
        }
    }
}
