package io.stenographer.application.service;

import io.stenographer.application.port.out.StoreRetentionPoliciesPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The policies in force for a tenant: the configured all-tenant policies (with the mandatory default) plus
 * the tenant's own active ones. This is what archive and purge jobs resolve events against.
 *
 * <p>{@link #forTenant} starts no transaction and checks no caller: call it inside the job's own transaction
 * (through its {@code TransactionRunner}), so the policies and the events they are applied to are read
 * together. Callers acting for a person use {@code ManageRetentionPoliciesUseCase.activePolicies}.
 */
public final class ActiveRetentionPolicies {

    private final StoreRetentionPoliciesPort stored;
    private final RetentionPolicies configured;

    /**
     * @param configured the all-tenant policies from configuration; none of them may name a tenant
     */
    public ActiveRetentionPolicies(StoreRetentionPoliciesPort stored, RetentionPolicies configured) {
        this.stored = Objects.requireNonNull(stored, "stored");
        this.configured = Objects.requireNonNull(configured, "configured");
        for (RetentionPolicy policy : configured.all()) {
            if (policy.matcher().tenant() != null) {
                throw new IllegalArgumentException("configured policy '" + policy.id()
                        + "' names a tenant; tenant policies are created through the API");
            }
        }
    }

    /** The configured, all-tenant policies (the default among them). */
    public RetentionPolicies configured() {
        return configured;
    }

    /** Runs inside the caller's transaction; see the class comment. */
    public RetentionPolicies forTenant(TenantId tenant) {
        List<RetentionPolicy> policies = new ArrayList<>(configured.all());
        policies.addAll(stored.active(tenant));
        return new RetentionPolicies(configured.defaultPolicy(), policies);
    }

    boolean isConfigured(PolicyId id) {
        return configured.all().stream().anyMatch(p -> p.id().equals(id));
    }
}
