package io.stenographer.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.RetentionShortenings.Shortening;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionShorteningsTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final RetentionPolicy DEFAULT = policy("default", null, null, null, "P7Y");

    private static RetentionPolicy policy(String id, TenantId tenant, String action, String type, String retainFor) {
        return RetentionPolicy.create(PolicyId.of(id), 1, new PolicyMatcher(tenant, action, type),
                RetentionPeriod.parse("P1D"), RetentionPeriod.parse(retainFor), "basis", "admin", T);
    }

    private static RetentionPolicies set(RetentionPolicy... policies) {
        return new RetentionPolicies(DEFAULT, List.of(policies));
    }

    private static List<Shortening> adding(RetentionPolicies today, RetentionPolicy candidate) {
        return RetentionShortenings.between(today, today.with(candidate), ACME);
    }

    @Test
    void aNewMoreSpecificIdThatKeepsLessThanTheDefaultIsAShortening() {
        List<Shortening> found = adding(set(), policy("quick", ACME, "login.*", null, "P30D"));

        assertThat(found).singleElement().satisfies(s -> {
            assertThat(s.action()).isEqualTo("login.~");
            assertThat(s.resourceType()).isNull();
            assertThat(s.before()).isEqualTo(DEFAULT);
            assertThat(s.after().id()).isEqualTo(PolicyId.of("quick"));
        });
    }

    @Test
    void aNewIdThatKeepsAtLeastAsLongIsNot() {
        assertThat(adding(set(), policy("long", ACME, "login.*", null, "P10Y"))).isEmpty();
        assertThat(adding(set(), policy("same", ACME, null, null, "P7Y"))).isEmpty();
    }

    @Test
    void aNarrowerIdTakesOverOnlyTheEventsItMatchesFromABroaderLongerTenantPolicy() {
        RetentionPolicies today = set(policy("cases", ACME, "case.*", null, "P10Y"));

        List<Shortening> found = adding(today, policy("checks", ACME, "case.*", "background-check", "P8Y"));

        assertThat(found).singleElement().satisfies(s -> {
            assertThat(s.resourceType()).isEqualTo("background-check");
            assertThat(s.action()).isEqualTo("case.~");
            assertThat(s.before().id()).isEqualTo(PolicyId.of("cases"));
        });
    }

    @Test
    void anExactActionUnderALongerPrefixIsAShorteningForThatActionOnly() {
        RetentionPolicies today = set(policy("cases", ACME, "case.*", null, "P10Y"));

        assertThat(adding(today, policy("views", ACME, "case.view", null, "P1Y")))
                .extracting(Shortening::action).containsExactly("case.view");
    }

    @Test
    void aBroaderPrefixLosesWhereAMoreSpecificPolicyStillWins() {
        // case.view.* keeps its P10Y; only the rest of case.* moves from the P7Y default to P1Y.
        RetentionPolicies today = set(policy("views", ACME, "case.view.*", null, "P10Y"));

        assertThat(adding(today, policy("cases", ACME, "case.*", null, "P1Y")))
                .extracting(Shortening::action, s -> s.before().id().value())
                .containsExactly(tuple("case.~", "default"));
    }

    @Test
    void aPolicyThatNeverWinsShortensNothing() {
        // Equal specificity: the longer retainFor wins, so the shorter newcomer governs no event.
        RetentionPolicies today = set(policy("cases", ACME, "case.*", null, "P10Y"));

        assertThat(adding(today, policy("cases-short", ACME, "case.*", null, "P1Y"))).isEmpty();
    }

    @Test
    void aNewVersionWithANarrowerMatcherHandsTheRestBackToTheDefault() {
        RetentionPolicy v1 = policy("cases", ACME, "case.*", null, "P10Y");
        RetentionPolicy v2 = RetentionPolicy.create(PolicyId.of("cases"), 2, new PolicyMatcher(ACME, "case.view", null),
                RetentionPeriod.parse("P1D"), RetentionPeriod.parse("P10Y"), "basis", "admin", T);

        List<Shortening> found = adding(set(v1), v2);

        assertThat(found).extracting(Shortening::action).containsExactly("case.~");
        assertThat(found.get(0).after()).isEqualTo(DEFAULT);
        assertThat(set(v1).with(v2).all()).containsExactly(v2, DEFAULT);
    }

    @Test
    void anotherTenantsPoliciesAreNotCompared() {
        RetentionPolicies today = set(policy("globex-cases", GLOBEX, "case.*", null, "P20Y"));

        assertThat(adding(today, policy("cases", ACME, "case.*", null, "P10Y"))).isEmpty();
        assertThat(RetentionShortenings.between(today, today.with(policy("g", GLOBEX, "case.view", null, "P1Y")),
                ACME)).isEmpty();
    }

    @Test
    void identicalSetsShortenNothing() {
        RetentionPolicies today = set(policy("cases", ACME, "case.*", "record", "P1Y"),
                policy("logins", ACME, "user.login", null, "P30D"));

        assertThat(RetentionShortenings.between(today, today, ACME)).isEmpty();
    }
}
