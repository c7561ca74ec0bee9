package io.stenographer.domain.access;

import io.stenographer.domain.event.TenantId;

/** A caller acted outside the tenants or roles its token grants. */
public class TenantAccessDenied extends RuntimeException {

    private final String subject;
    private final Role role;
    private final TenantId tenant;

    public TenantAccessDenied(String subject, Role role, TenantId tenant) {
        super("caller may not act as " + role.claimValue() + " on tenant '" + tenant + "'");
        this.subject = subject;
        this.role = role;
        this.tenant = tenant;
    }

    public String subject() {
        return subject;
    }

    public Role role() {
        return role;
    }

    public TenantId tenant() {
        return tenant;
    }
}
