package io.stenographer.domain.retention;

import static io.stenographer.domain.retention.Fixtures.ACME;
import static io.stenographer.domain.retention.Fixtures.GLOBEX;
import static io.stenographer.domain.retention.Fixtures.defaultPolicy;
import static io.stenographer.domain.retention.Fixtures.policy;
import static io.stenographer.domain.retention.Fixtures.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetentionPoliciesTest {

    private final RetentionPolicy fallback = defaultPolicy();

    @Test
    void withOnlyTheDefaultEverythingResolvesToIt() {
        RetentionPolicies policies = RetentionPolicies.onlyDefault(fallback);
        assertThat(policies.resolve(subject(ACME, "case.view", "case"))).isEqualTo(fallback);
        assertThat(policies.resolve(subject(GLOBEX, "user.login", null))).isEqualTo(fallback);
        assertThat(policies.all()).containsExactly(fallback);
    }

    @Test
    void theMostSpecificMatchWinsEvenWhenItKeepsShorter() {
        RetentionPolicy anyCase = policy("any-case", new PolicyMatcher(null, "case.*", null), "P1D", "P30Y");
        RetentionPolicy caseViews = policy("case-views", new PolicyMatcher(null, "case.view", null), "P1D", "P1Y");
        RetentionPolicy checks = policy("checks", new PolicyMatcher(null, null, "background-check"), "P1D", "P2Y");
        RetentionPolicy acme = policy("acme", new PolicyMatcher(ACME, null, null), "P1D", "P3Y");
        RetentionPolicies policies = new RetentionPolicies(fallback, List.of(anyCase, caseViews, checks, acme));

        assertThat(policies.resolve(subject(GLOBEX, "case.edit", null))).isEqualTo(anyCase);
        assertThat(policies.resolve(subject(GLOBEX, "case.view", null))).isEqualTo(caseViews);
        assertThat(policies.resolve(subject(GLOBEX, "case.view", "background-check"))).isEqualTo(checks);
        assertThat(policies.resolve(subject(ACME, "case.view", "background-check"))).isEqualTo(acme);
        assertThat(policies.resolve(subject(GLOBEX, "user.login", "invoice"))).isEqualTo(fallback);
    }

    @Test
    void aLongerPrefixBeatsAShorterOne() {
        RetentionPolicy wide = policy("wide", new PolicyMatcher(null, "case.*", null), "P1D", "P30Y");
        RetentionPolicy narrow = policy("narrow", new PolicyMatcher(null, "case.export.*", null), "P1D", "P1Y");
        RetentionPolicies policies = new RetentionPolicies(fallback, List.of(wide, narrow));

        assertThat(policies.resolve(subject(ACME, "case.export.pdf", null))).isEqualTo(narrow);
        assertThat(policies.resolve(subject(ACME, "case.export", null))).isEqualTo(wide);
    }

    @Test
    void onATieTheLongestRetentionWinsThenTheLongestArchiveAfterThenTheSmallestId() {
        PolicyMatcher cases = new PolicyMatcher(ACME, "case.*", null);
        RetentionPolicy short1 = policy("a-short", cases, "P1D", "P1Y");
        RetentionPolicy long1 = policy("z-long", cases, "P1D", "P10Y");
        assertThat(new RetentionPolicies(fallback, List.of(short1, long1)).resolve(subject(ACME, "case.view", null)))
                .isEqualTo(long1);

        RetentionPolicy laterArchive = policy("z-later", cases, "P30D", "P10Y");
        assertThat(new RetentionPolicies(fallback, List.of(long1, laterArchive))
                .resolve(subject(ACME, "case.view", null))).isEqualTo(laterArchive);

        RetentionPolicy sameA = policy("b-same", cases, "P30D", "P10Y");
        RetentionPolicy sameB = policy("a-same", cases, "P30D", "P10Y");
        assertThat(new RetentionPolicies(fallback, List.of(sameA, sameB)).resolve(subject(ACME, "case.view", null)))
                .isEqualTo(sameB);
    }

    @Test
    void anotherAllMatchingConfiguredPolicyTiesWithTheDefaultAndTheLongerRetentionWins() {
        RetentionPolicy longer = policy("statutory", PolicyMatcher.ANY, "P90D", "P10Y");
        RetentionPolicies policies = new RetentionPolicies(fallback, List.of(longer));
        assertThat(policies.resolve(subject(ACME, "case.view", null))).isEqualTo(longer);
        assertThat(policies.defaultPolicy()).isEqualTo(fallback);
    }

    @Test
    void aTenantsPolicyDoesNotApplyToAnotherTenant() {
        RetentionPolicy acme = policy("acme", new PolicyMatcher(ACME, null, null), "P1D", "P3Y");
        RetentionPolicy globexCases = policy("cases", new PolicyMatcher(GLOBEX, "case.*", null), "P1D", "P4Y");
        RetentionPolicies policies = new RetentionPolicies(fallback, List.of(acme, globexCases));
        assertThat(policies.resolve(subject(GLOBEX, "user.login", null))).isEqualTo(fallback);
        assertThat(policies.applicableTo(ACME)).containsExactly(acme, fallback);
        assertThat(policies.applicableTo(GLOBEX)).containsExactly(globexCases, fallback);
    }

    @RepeatedTest(20)
    void resolutionDoesNotDependOnTheOrderPoliciesAreGiven() {
        List<RetentionPolicy> given = new ArrayList<>(List.of(
                policy("a", new PolicyMatcher(null, "case.*", null), "P1D", "P5Y"),
                policy("b", new PolicyMatcher(null, "case.*", null), "P1D", "P5Y"),
                policy("c", new PolicyMatcher(null, "case.*", null), "P2D", "P5Y"),
                policy("d", new PolicyMatcher(null, "case.*", null), "P1D", "P4Y"),
                policy("e", PolicyMatcher.ANY, "P90D", "P7Y")));
        Collections.shuffle(given, new Random());
        assertThat(new RetentionPolicies(fallback, given).resolve(subject(ACME, "case.view", null)).id().value())
                .isEqualTo("c");
    }

    @Test
    void theDefaultMustMatchEverythingAndBeActive() {
        assertThatThrownBy(() -> RetentionPolicies.onlyDefault(
                policy("d", new PolicyMatcher(null, "case.*", null), "P1D", "P1Y")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetentionPolicies.onlyDefault(fallback.retire("admin", Fixtures.T0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPolicies(null, List.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesRetiredPoliciesAndTheSameIdTwiceInOneTenant() {
        RetentionPolicy p = policy("p", new PolicyMatcher(ACME, null, null), "P1D", "P1Y");
        assertThatThrownBy(() -> new RetentionPolicies(fallback, List.of(p.retire("admin", Fixtures.T0))))
                .isInstanceOf(IllegalArgumentException.class);
        RetentionPolicy samePolicyNewerVersion = new RetentionPolicy(p.id(), 2, p.matcher(), p.archiveAfter(),
                p.retainFor(), p.legalBasis(), p.createdBy(), p.createdAt(), null, null);
        assertThatThrownBy(() -> new RetentionPolicies(fallback, List.of(p, samePolicyNewerVersion)))
                .isInstanceOf(IllegalArgumentException.class);
        RetentionPolicy sameIdOtherTenant = policy("p", new PolicyMatcher(GLOBEX, null, null), "P1D", "P1Y");
        assertThat(new RetentionPolicies(fallback, List.of(p, sameIdOtherTenant)).all()).hasSize(3);
        assertThat(new RetentionPolicies(fallback, List.of(fallback, p)).all()).containsExactly(p, fallback);
    }
}
