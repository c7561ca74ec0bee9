package io.stenographer.domain.retention;

import static io.stenographer.domain.retention.Fixtures.ACME;
import static io.stenographer.domain.retention.Fixtures.GLOBEX;
import static io.stenographer.domain.retention.Fixtures.hold;
import static io.stenographer.domain.retention.Fixtures.policy;
import static io.stenographer.domain.retention.Fixtures.received;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RetentionRulesTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-31T09:30:00.123456Z");
    private static final Instant DUE = Instant.parse("2026-04-01T09:30:00.123456Z"); // + P60D
    private static final Instant UNTIL = Instant.parse("2033-01-31T09:30:00.123456Z"); // + P7Y
    private static final RetentionPolicy POLICY = policy("p", PolicyMatcher.ANY, "P60D", "P7Y");
    private static final RetentionSubject EVENT = received(RECEIVED);

    private static final HoldCriteria CASE_C1 = new HoldCriteria(null, "case", "C-1", null, null, null);

    @Test
    void datesCountFromReceivedAtNotFromOccurredAt() {
        RetentionSubject backDated = new RetentionSubject(ACME, "alice", "case.view", "case", "C-1",
                Instant.parse("2001-01-01T00:00:00Z"), RECEIVED);
        assertThat(RetentionRules.archiveDueAt(backDated, POLICY)).isEqualTo(DUE);
        assertThat(RetentionRules.retainUntil(backDated, POLICY)).isEqualTo(UNTIL);
    }

    @Test
    void retainUntilIsNeverBeforeTheArchiveDate() {
        // P1M >= P30D as compared (31 days from the reference), but from 1 February P1M is only 28 days.
        RetentionPolicy monthly = policy("m", PolicyMatcher.ANY, "P30D", "P1M");
        RetentionSubject february = received(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(RetentionRules.archiveDueAt(february, monthly)).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
        assertThat(RetentionRules.retainUntil(february, monthly)).isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
        RetentionSubject march = received(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(RetentionRules.retainUntil(march, monthly)).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
    }

    @Test
    void mayArchiveOnceIntegratedAndExactlyFromTheDueInstant() {
        RetentionPolicies only = RetentionPolicies.onlyDefault(POLICY);
        assertThat(RetentionRules.mayArchive(EVENT, only, true, DUE.minusNanos(1000)).allowed()).isFalse();
        RetentionDecision atDue = RetentionRules.mayArchive(EVENT, only, true, DUE);
        assertThat(atDue.allowed()).isTrue();
        assertThat(atDue.reason()).contains("2026-04-01T09:30:00.123456Z").contains("'p' v1");
        assertThat(RetentionRules.mayArchive(EVENT, only, true, UNTIL.plusSeconds(1)).allowed()).isTrue();

        RetentionDecision notIntegrated = RetentionRules.mayArchive(EVENT, only, false, UNTIL);
        assertThat(notIntegrated.allowed()).isFalse();
        assertThat(notIntegrated.reason()).contains("not yet integrated");
        assertThat(RetentionRules.mayArchive(EVENT, only, true, DUE.minusSeconds(1)).reason())
                .contains("archive copy due at 2026-04-01T09:30:00.123456Z");
    }

    @Test
    void theCopyIsDueAtTheEarliestDateOfTheTenantsPoliciesWhileLeavingWaitsForTheEventsOwn() {
        // The event resolves to the 60-day default; a 1-day policy for logins and a globex-only one exist beside it.
        RetentionPolicies policies = new RetentionPolicies(POLICY, List.of(
                policy("logins", new PolicyMatcher(null, "user.login", null), "P1D", "P1Y"),
                policy("globex", new PolicyMatcher(GLOBEX, null, null), "PT1H", "P1Y")));
        Instant dayAfter = RECEIVED.plus(java.time.Duration.ofDays(1));

        assertThat(RetentionRules.archiveCopyDueAt(EVENT, policies)).as("globex's policy never applies to acme")
                .isEqualTo(dayAfter);
        assertThat(RetentionRules.mayArchive(EVENT, policies, true, dayAfter.minusNanos(1000)).allowed()).isFalse();
        RetentionDecision copy = RetentionRules.mayArchive(EVENT, policies, true, dayAfter);
        assertThat(copy.allowed()).isTrue();
        assertThat(copy.reason()).contains("leaves the hot store under policy 'p' v1");
        assertThat(RetentionRules.mayLeaveHotStore(EVENT, policies.resolve(EVENT), true, List.of(), dayAfter)
                .allowed()).as("its own 60 days have not passed").isFalse();
        assertThat(RetentionRules.mayLeaveHotStore(EVENT, policies.resolve(EVENT), true, List.of(), DUE).allowed())
                .isTrue();
    }

    @Test
    void zeroArchiveAfterArchivesAtOnce() {
        RetentionPolicy immediate = policy("now", PolicyMatcher.ANY, "P0D", "P1Y");
        RetentionPolicies only = RetentionPolicies.onlyDefault(immediate);
        assertThat(RetentionRules.mayArchive(EVENT, only, true, RECEIVED).allowed()).isTrue();
        assertThat(RetentionRules.mayArchive(EVENT, only, false, RECEIVED).allowed()).isFalse();
    }

    @Test
    void mayLeaveHotStoreNeedsAConfirmedCopyTheDueDateAndNoHold() {
        assertThat(RetentionRules.mayLeaveHotStore(EVENT, POLICY, true, List.of(), DUE).allowed()).isTrue();
        assertThat(RetentionRules.mayLeaveHotStore(EVENT, POLICY, true, List.of(), DUE.minusNanos(1000)).allowed())
                .isFalse();
        RetentionDecision unconfirmed = RetentionRules.mayLeaveHotStore(EVENT, POLICY, false, List.of(), UNTIL);
        assertThat(unconfirmed.allowed()).isFalse();
        assertThat(unconfirmed.reason()).contains("no confirmed archive copy");
    }

    @Test
    void anActiveHoldOfTheSameTenantKeepsTheEventInTheHotStore() {
        LegalHold onCase = hold(ACME, CASE_C1);
        RetentionDecision held = RetentionRules.mayLeaveHotStore(EVENT, POLICY, true, List.of(onCase), UNTIL);
        assertThat(held.allowed()).isFalse();
        assertThat(held.reason()).isEqualTo("under legal hold " + onCase.id());
    }

    @Test
    void releasedHoldsHoldsOfOtherTenantsAndNonMatchingHoldsDoNotBlock() {
        LegalHold released = hold(ACME, CASE_C1).release("counsel", DUE, "settled");
        LegalHold otherTenant = hold(GLOBEX, HoldCriteria.WHOLE_TENANT);
        LegalHold otherCase = hold(ACME, new HoldCriteria(null, "case", "C-2", null, null, null));
        assertThat(RetentionRules.mayLeaveHotStore(EVENT, POLICY, true, List.of(released, otherTenant, otherCase), DUE)
                .allowed()).isTrue();
    }

    @Test
    void mayDeleteArchiveCopyExactlyFromRetainUntilWhenNoEventIsHeld() {
        List<RetentionSubject> segment = List.of(received(RECEIVED), received(RECEIVED.plusSeconds(5)));
        assertThat(RetentionRules.mayDeleteArchiveCopy(UNTIL, segment, List.of(), UNTIL.minusNanos(1000)).allowed())
                .isFalse();
        RetentionDecision atUntil = RetentionRules.mayDeleteArchiveCopy(UNTIL, segment, List.of(), UNTIL);
        assertThat(atUntil.allowed()).isTrue();
        assertThat(atUntil.reason()).contains("2033-01-31T09:30:00.123456Z");
    }

    @Test
    void oneHeldEventKeepsTheWholeSegment() {
        RetentionSubject other = new RetentionSubject(ACME, "bob", "user.login", null, null, RECEIVED, RECEIVED);
        LegalHold onCase = hold(ACME, CASE_C1);
        RetentionDecision held = RetentionRules.mayDeleteArchiveCopy(UNTIL, List.of(other, received(RECEIVED)),
                List.of(onCase), UNTIL.plusSeconds(1));
        assertThat(held.allowed()).isFalse();
        assertThat(held.reason()).contains(onCase.id().toString());

        assertThat(RetentionRules.mayDeleteArchiveCopy(UNTIL, List.of(other), List.of(onCase), UNTIL).allowed())
                .isTrue();
        assertThat(RetentionRules.mayDeleteArchiveCopy(UNTIL, List.of(received(RECEIVED)),
                List.of(onCase.release("counsel", UNTIL, "closed"), hold(GLOBEX, null)), UNTIL).allowed()).isTrue();
    }

    @Test
    void anEmptySegmentIsACallerError() {
        assertThatThrownBy(() -> RetentionRules.mayDeleteArchiveCopy(UNTIL, List.of(), List.of(), UNTIL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPolicyThatDoesNotApplyToTheEventIsACallerError() {
        RetentionPolicy globexOnly = policy("g", new PolicyMatcher(GLOBEX, null, null), "P1D", "P1Y");
        assertThatThrownBy(() -> RetentionRules.mayLeaveHotStore(EVENT, globexOnly, true, List.of(), UNTIL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lockUntilNeverShortensAnExistingLock() {
        assertThat(RetentionRules.lockUntil(null, UNTIL)).isEqualTo(UNTIL);
        assertThat(RetentionRules.lockUntil(UNTIL, UNTIL.plusSeconds(1))).isEqualTo(UNTIL.plusSeconds(1));
        assertThat(RetentionRules.lockUntil(UNTIL, UNTIL.minusSeconds(1))).isEqualTo(UNTIL);
        assertThat(RetentionRules.lockUntil(UNTIL, UNTIL)).isEqualTo(UNTIL);
        assertThatThrownBy(() -> RetentionRules.lockUntil(UNTIL, null)).isInstanceOf(NullPointerException.class);
    }

    @Property
    void aLockIsMonotoneAndAtLeastWhatWasWanted(@ForAll @LongRange(min = 0, max = 4_000_000_000L) long set,
            @ForAll @LongRange(min = 0, max = 4_000_000_000L) long wanted) {
        Instant lock = RetentionRules.lockUntil(Instant.ofEpochSecond(set), Instant.ofEpochSecond(wanted));
        assertThat(lock).isAfterOrEqualTo(Instant.ofEpochSecond(set)).isAfterOrEqualTo(Instant.ofEpochSecond(wanted));
        assertThat(lock).isIn(Instant.ofEpochSecond(set), Instant.ofEpochSecond(wanted));
    }

    @Property
    void nothingLeavesTheHotStoreBeforeItMayBeArchivedOrIsDeletedBeforeItMayLeave(
            @ForAll @IntRange(min = 0, max = 400) int archiveDays, @ForAll @IntRange(min = 0, max = 30) int extraYears,
            @ForAll @LongRange(min = 0, max = 40L * 366 * 86400) long secondsAfterReceipt) {
        RetentionPolicy policy = policy("p", PolicyMatcher.ANY, "P" + archiveDays + "D",
                "P" + (extraYears + 2) + "Y");
        // A shorter policy for another action may make the copy earlier, never the leaving.
        RetentionPolicies policies = new RetentionPolicies(policy, List.of(policy("other",
                new PolicyMatcher(null, "user.login", null), "P" + (archiveDays / 2) + "D", "P1Y")));
        Instant now = RECEIVED.plusSeconds(secondsAfterReceipt);
        boolean mayLeave = RetentionRules.mayLeaveHotStore(EVENT, policy, true, List.of(), now).allowed();
        boolean mayArchive = RetentionRules.mayArchive(EVENT, policies, true, now).allowed();
        boolean mayDelete = RetentionRules.mayDeleteArchiveCopy(RetentionRules.retainUntil(EVENT, policy),
                List.of(EVENT), List.of(), now).allowed();
        if (mayLeave) {
            assertThat(mayArchive).isTrue();
        }
        if (mayDelete) {
            assertThat(mayLeave).isTrue();
        }
        assertThat(RetentionRules.mayDeleteArchiveCopy(RetentionRules.retainUntil(EVENT, policy), List.of(EVENT),
                List.of(hold(ACME, null)), now).allowed()).isFalse();
    }
}
