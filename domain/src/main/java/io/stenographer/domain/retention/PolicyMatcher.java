package io.stenographer.domain.retention;

import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.TenantId;

/**
 * Which events a retention policy applies to; each null part means "any". The action pattern is an exact
 * action ({@code case.view}) or a prefix ({@code case.*}), as in event queries.
 *
 * <h2>Specificity</h2>
 * When several policies match an event, the most specific one wins. Specificity compares the parts in
 * this order, the first difference deciding:
 * <ol>
 *   <li>a tenant-scoped matcher beats an all-tenant one (a tenant's own compliance administrator knows its
 *       obligations better than an installation-wide default);</li>
 *   <li>a matcher naming a resource type beats one that does not (what record was touched is the usual
 *       basis of a retention obligation);</li>
 *   <li>an exact action beats any prefix; a prefix with more segments ({@code case.view.*}, 2) beats one
 *       with fewer ({@code case.*}, 1); any prefix beats "any action".</li>
 * </ol>
 * {@link #specificity()} encodes exactly this order as one number: tenant 4096, resource type 2048,
 * exact action 1024, otherwise the number of prefix segments (at most 64, as an action has at most 128
 * characters).
 */
public record PolicyMatcher(TenantId tenant, String actionPattern, String resourceType) {

    static final int TENANT_WEIGHT = 4096;
    static final int RESOURCE_TYPE_WEIGHT = 2048;
    static final int EXACT_ACTION_WEIGHT = 1024;

    public static final PolicyMatcher ANY = new PolicyMatcher(null, null, null);

    public PolicyMatcher {
        actionPattern = ActionPatterns.canonical("actionPattern", actionPattern);
        resourceType = RetentionTexts.optional("resourceType", resourceType, ResourceRef.MAX_TYPE_LENGTH);
    }

    public boolean matches(RetentionSubject subject) {
        return matches(subject.tenant(), subject.action(), subject.resourceType());
    }

    /** Only these three attributes of an event decide which policies match it. */
    public boolean matches(TenantId eventTenant, String action, String eventResourceType) {
        return (tenant == null || tenant.equals(eventTenant))
                && (resourceType == null || resourceType.equals(eventResourceType))
                && ActionPatterns.matches(actionPattern, action);
    }

    /** Higher is more specific; see the class comment for the exact order. */
    public int specificity() {
        int score = 0;
        if (tenant != null) {
            score += TENANT_WEIGHT;
        }
        if (resourceType != null) {
            score += RESOURCE_TYPE_WEIGHT;
        }
        if (actionPattern != null) {
            score += ActionPatterns.isPrefix(actionPattern)
                    ? ActionPatterns.prefixSegments(actionPattern)
                    : EXACT_ACTION_WEIGHT;
        }
        return score;
    }

    /** True for the catch-all matcher of a default policy. */
    public boolean matchesEverything() {
        return tenant == null && actionPattern == null && resourceType == null;
    }
}
