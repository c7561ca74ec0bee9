package io.stenographer.domain.retention;

import io.stenographer.domain.event.TenantId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The active retention policies, with a mandatory default, as one immutable value: {@link #resolve} picks
 * the policy that governs an event, and never fails, because the default matches everything.
 *
 * <h2>Resolution</h2>
 * Among the policies whose matcher matches the event (the default is always one of them):
 * <ol>
 *   <li>the most specific matcher wins ({@link PolicyMatcher#specificity()}: tenant, then resource type,
 *       then exact action, then longer action prefix);</li>
 *   <li>on equal specificity, the longest {@code retainFor} wins (when in doubt, keep longer);</li>
 *   <li>then the longest {@code archiveAfter} (keep it in the hot store, where it is easiest to read,
 *       longer);</li>
 *   <li>then the alphabetically smallest policy id, so the result never depends on iteration order.</li>
 * </ol>
 * Periods are compared as {@link RetentionPeriod#compareTo} defines.
 *
 * <p>Only active versions belong here, at most one per (tenant, policy id). The set may hold policies of
 * several tenants (for a job that runs over all of them); a tenant's policies only match its own events.
 */
public final class RetentionPolicies {

    /** Orders candidates from the winner down. */
    public static final Comparator<RetentionPolicy> PRECEDENCE = Comparator
            .comparingInt((RetentionPolicy p) -> p.matcher().specificity()).reversed()
            .thenComparing(RetentionPolicy::retainFor, Comparator.reverseOrder())
            .thenComparing(RetentionPolicy::archiveAfter, Comparator.reverseOrder())
            .thenComparing(p -> p.id().value())
            .thenComparing(p -> p.matcher().tenant() == null ? "" : p.matcher().tenant().value());

    private final RetentionPolicy defaultPolicy;
    private final List<RetentionPolicy> policies;

    /**
     * @param defaultPolicy an active policy matching everything
     * @param others further active policies (may include the default again; it is kept once)
     */
    public RetentionPolicies(RetentionPolicy defaultPolicy, Collection<RetentionPolicy> others) {
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        if (!defaultPolicy.matcher().matchesEverything()) {
            throw new IllegalArgumentException("the default policy must match every event (all-null matcher)");
        }
        if (!defaultPolicy.isActive()) {
            throw new IllegalArgumentException("the default policy must be active");
        }
        List<RetentionPolicy> all = new ArrayList<>();
        all.add(defaultPolicy);
        Set<String> keys = new HashSet<>();
        keys.add(key(defaultPolicy));
        for (RetentionPolicy policy : others) {
            if (policy.equals(defaultPolicy)) {
                continue;
            }
            if (!policy.isActive()) {
                throw new IllegalArgumentException("policy '" + policy.id() + "' version " + policy.version()
                        + " is retired and cannot take part in resolution");
            }
            if (!keys.add(key(policy))) {
                throw new IllegalArgumentException("policy '" + policy.id() + "' appears twice"
                        + (policy.matcher().tenant() == null ? "" : " for tenant " + policy.matcher().tenant()));
            }
            all.add(policy);
        }
        all.sort(PRECEDENCE);
        this.defaultPolicy = defaultPolicy;
        this.policies = List.copyOf(all);
    }

    public static RetentionPolicies onlyDefault(RetentionPolicy defaultPolicy) {
        return new RetentionPolicies(defaultPolicy, List.of());
    }

    private static String key(RetentionPolicy policy) {
        TenantId tenant = policy.matcher().tenant();
        return (tenant == null ? "*" : tenant.value()) + "/" + policy.id().value();
    }

    /**
     * This set with {@code policy} in place of the active version of the same (tenant, id), or added beside the others
     * when that id has none: the set as it would be once {@code policy} is stored.
     */
    public RetentionPolicies with(RetentionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        List<RetentionPolicy> others = policies.stream().filter(p -> !key(p).equals(key(policy))).toList();
        List<RetentionPolicy> next = new ArrayList<>(others);
        next.add(policy);
        return new RetentionPolicies(key(policy).equals(key(defaultPolicy)) ? policy : defaultPolicy, next);
    }

    /** The policy that governs {@code subject}; see the class comment for the rules. Never fails. */
    public RetentionPolicy resolve(RetentionSubject subject) {
        return resolve(subject.tenant(), subject.action(), subject.resourceType());
    }

    /** The policy that governs every event of this tenant, action and resource type (null: no resource). */
    public RetentionPolicy resolve(TenantId tenant, String action, String resourceType) {
        for (RetentionPolicy policy : policies) {
            if (policy.matcher().matches(tenant, action, resourceType)) {
                return policy; // sorted by PRECEDENCE: the first match is the winner
            }
        }
        throw new IllegalStateException("unreachable: the default policy matches every event");
    }

    public RetentionPolicy defaultPolicy() {
        return defaultPolicy;
    }

    /** Every policy, the default included, in precedence order. */
    public List<RetentionPolicy> all() {
        return policies;
    }

    /** The policies that can apply to {@code tenant}'s events: all-tenant ones and its own, in precedence order. */
    public List<RetentionPolicy> applicableTo(TenantId tenant) {
        return policies.stream()
                .filter(p -> p.matcher().tenant() == null || p.matcher().tenant().equals(tenant))
                .toList();
    }
}
