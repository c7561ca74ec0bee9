package io.stenographer.application.service;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.TenantId;

/** Who may manage and who may read retention policies and legal holds. */
final class RetentionAccess {

    private RetentionAccess() {
    }

    static void requireManager(Caller caller, TenantId tenant) {
        caller.require(Role.COMPLIANCE_ADMIN, tenant);
    }

    static void requireReader(Caller caller, TenantId tenant) {
        if (!mayRead(caller, tenant)) {
            throw new TenantAccessDenied(caller.subject(), Role.AUDITOR, tenant);
        }
    }

    static boolean mayRead(Caller caller, TenantId tenant) {
        return (caller.has(Role.AUDITOR) || caller.has(Role.COMPLIANCE_ADMIN)) && caller.mayAccess(tenant);
    }
}
