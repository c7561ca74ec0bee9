package io.stenographer.domain.access;

import io.stenographer.domain.event.TenantId;
import java.util.Objects;
import java.util.Set;

/** The authenticated principal behind a request, with the roles and tenants its token grants. */
public record Caller(String subject, Set<Role> roles, Set<TenantId> tenants) {

    public Caller {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("caller subject is required");
        }
        roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
        tenants = Set.copyOf(Objects.requireNonNull(tenants, "tenants"));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean mayAccess(TenantId tenant) {
        return tenants.contains(tenant);
    }

    /** Throws unless the caller holds {@code role} for {@code tenant}. */
    public void require(Role role, TenantId tenant) {
        if (!has(role) || !mayAccess(tenant)) {
            throw new TenantAccessDenied(subject, role, tenant);
        }
    }
}
