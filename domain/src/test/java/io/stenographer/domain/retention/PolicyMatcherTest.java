package io.stenographer.domain.retention;

import static io.stenographer.domain.retention.Fixtures.ACME;
import static io.stenographer.domain.retention.Fixtures.GLOBEX;
import static io.stenographer.domain.retention.Fixtures.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.FieldViolation;
import org.junit.jupiter.api.Test;

class PolicyMatcherTest {

    @Test
    void theEmptyMatcherMatchesEverything() {
        assertThat(PolicyMatcher.ANY.matches(subject(ACME, "case.view", null))).isTrue();
        assertThat(PolicyMatcher.ANY.matches(subject(GLOBEX, "x.y", "case"))).isTrue();
        assertThat(PolicyMatcher.ANY.matchesEverything()).isTrue();
        assertThat(PolicyMatcher.ANY.specificity()).isZero();
    }

    @Test
    void everyGivenPartMustMatch() {
        PolicyMatcher matcher = new PolicyMatcher(ACME, "case.*", "background-check");
        assertThat(matcher.matches(subject(ACME, "case.view", "background-check"))).isTrue();
        assertThat(matcher.matches(subject(GLOBEX, "case.view", "background-check"))).isFalse();
        assertThat(matcher.matches(subject(ACME, "user.login", "background-check"))).isFalse();
        assertThat(matcher.matches(subject(ACME, "case.view", "invoice"))).isFalse();
        assertThat(matcher.matches(subject(ACME, "case.view", null))).isFalse();
    }

    @Test
    void actionPatternsFollowTheQueryFilter() {
        assertThat(new PolicyMatcher(null, "case.view", null).matches(subject(ACME, "case.view", null))).isTrue();
        assertThat(new PolicyMatcher(null, "case.view", null).matches(subject(ACME, "case.viewed", null))).isFalse();
        assertThat(new PolicyMatcher(null, "case.*", null).matches(subject(ACME, "case.view.full", null))).isTrue();
        assertThat(new PolicyMatcher(null, "case.*", null).matches(subject(ACME, "casework.view", null))).isFalse();
        assertThat(new PolicyMatcher(null, "case.view.*", null).matches(subject(ACME, "case.view", null))).isFalse();
    }

    @Test
    void invalidPartsNameTheirField() {
        assertThatThrownBy(() -> new PolicyMatcher(null, "Case View", null))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("actionPattern"));
        assertThatThrownBy(() -> new PolicyMatcher(null, "*", null))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("actionPattern"));
        assertThatThrownBy(() -> new PolicyMatcher(null, null, " "))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("resourceType"));
        assertThatThrownBy(() -> new PolicyMatcher(null, null, "x".repeat(129)))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("resourceType"));
    }

    @Test
    void specificityOrdersTenantThenResourceTypeThenExactActionThenLongerPrefix() {
        int tenantOnly = new PolicyMatcher(ACME, null, null).specificity();
        int everythingButTenant = new PolicyMatcher(null, "case.view", "case").specificity();
        int resourceTypeOnly = new PolicyMatcher(null, null, "case").specificity();
        int exactAction = new PolicyMatcher(null, "case.view", null).specificity();
        int longPrefix = new PolicyMatcher(null, "a.b.c.d.e.f.g.*", null).specificity();
        int twoSegmentPrefix = new PolicyMatcher(null, "case.view.*", null).specificity();
        int oneSegmentPrefix = new PolicyMatcher(null, "case.*", null).specificity();

        assertThat(tenantOnly).isGreaterThan(everythingButTenant);
        assertThat(everythingButTenant).isGreaterThan(resourceTypeOnly);
        assertThat(resourceTypeOnly).isGreaterThan(exactAction);
        assertThat(exactAction).isGreaterThan(longPrefix);
        assertThat(longPrefix).isGreaterThan(twoSegmentPrefix);
        assertThat(twoSegmentPrefix).isGreaterThan(oneSegmentPrefix);
        assertThat(oneSegmentPrefix).isGreaterThan(PolicyMatcher.ANY.specificity());
        assertThat(new PolicyMatcher(ACME, "case.view", "case").specificity()).isEqualTo(4096 + 2048 + 1024);
        assertThat(oneSegmentPrefix).isEqualTo(1);
        assertThat(twoSegmentPrefix).isEqualTo(2);
    }
}
