package io.stenographer.domain.retention;

import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which events of a tenant a change of its policy set would keep for less time: the question four eyes ask, answered
 * over everything resolution does, not only the version a change replaces. A new, more specific policy id, or a new
 * version of a retired one, takes events over from whatever governs them today, and that may keep them longer.
 *
 * <h2>Why a finite set of examples is exact</h2>
 * Which policy governs an event depends only on which matchers match it. A matcher looks at the resource type (equal,
 * or any) and the action (equal to an exact action, starting with a prefix's stem, or any). So every event behaves
 * like one of these examples, built from the matchers of both sets:
 * <ul>
 *   <li>resource type: none, or one of the types the matchers name (an unnamed type matches exactly what "none"
 *       matches);</li>
 *   <li>action: each exact action named; each prefix's stem followed by a segment no matcher names (the prefixes that
 *       match an action are nested, so this meets exactly that prefix and the shorter ones it extends); and an action
 *       no pattern matches.</li>
 * </ul>
 * Comparing the two resolutions for every combination therefore finds every shortening, and only real ones.
 */
public final class RetentionShortenings {

    /** Not a valid action or type character, so no policy can name a segment or type made of it. */
    private static final String UNNAMED = "~";
    private static final Instant ANY_TIME = RetentionPeriod.REFERENCE;

    private RetentionShortenings() {
    }

    /**
     * One kind of event that {@code after} keeps for less time than {@code before}.
     *
     * @param action an example action of that kind (may end in {@value #UNNAMED}: "any other action here")
     * @param resourceType an example resource type, or null for events without a resource or of an unnamed type
     */
    public record Shortening(String action, String resourceType, RetentionPolicy before, RetentionPolicy after) {
    }

    /** The kinds of {@code tenant}'s events that {@code after} keeps for less time than {@code before}; empty if none. */
    public static List<Shortening> between(RetentionPolicies before, RetentionPolicies after, TenantId tenant) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(tenant, "tenant");
        Set<String> types = new LinkedHashSet<>();
        types.add(null);
        Set<String> actions = new LinkedHashSet<>();
        actions.add(UNNAMED);
        for (RetentionPolicies set : List.of(before, after)) {
            for (RetentionPolicy policy : set.applicableTo(tenant)) {
                PolicyMatcher matcher = policy.matcher();
                if (matcher.resourceType() != null) {
                    types.add(matcher.resourceType());
                }
                String pattern = matcher.actionPattern();
                if (pattern != null) {
                    actions.add(ActionPatterns.isPrefix(pattern)
                            ? pattern.substring(0, pattern.length() - 1) + UNNAMED
                            : pattern);
                }
            }
        }
        List<Shortening> found = new ArrayList<>();
        for (String type : types) {
            for (String action : actions) {
                RetentionSubject example = new RetentionSubject(tenant, UNNAMED, action, type,
                        type == null ? null : UNNAMED, ANY_TIME, ANY_TIME);
                RetentionPolicy now = before.resolve(example);
                RetentionPolicy next = after.resolve(example);
                if (next.retainFor().isShorterOnSomeDayThan(now.retainFor())) {
                    found.add(new Shortening(action, type, now, next));
                }
            }
        }
        return List.copyOf(found);
    }
}
