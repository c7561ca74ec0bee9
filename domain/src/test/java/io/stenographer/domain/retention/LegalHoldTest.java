package io.stenographer.domain.retention;

import static io.stenographer.domain.retention.Fixtures.ACME;
import static io.stenographer.domain.retention.Fixtures.GLOBEX;
import static io.stenographer.domain.retention.Fixtures.T0;
import static io.stenographer.domain.retention.Fixtures.hold;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LegalHoldTest {

    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");

    private static RetentionSubject event(Instant occurredAt) {
        return event(ACME, "alice", "case.view", "case", "C-42", occurredAt);
    }

    private static RetentionSubject event(TenantId tenant, String actor, String action,
            String type, String id, Instant occurredAt) {
        return new RetentionSubject(tenant, actor, action, type, id, occurredAt, occurredAt.plusSeconds(1));
    }

    @Test
    void criteriaWithNothingGivenCoverTheWholeTenant() {
        LegalHold hold = hold(ACME, null);
        assertThat(hold.criteria()).isEqualTo(HoldCriteria.WHOLE_TENANT);
        assertThat(hold.criteria().isWholeTenant()).isTrue();
        assertThat(hold.covers(event(ACME, "bob", "user.login", null, null, T0))).isTrue();
        assertThat(hold.covers(event(GLOBEX, "bob", "user.login", null, null, T0))).isFalse();
    }

    @Test
    void everyGivenCriterionMustMatch() {
        HoldCriteria criteria = new HoldCriteria("alice", "case", "C-42", "case.*", MARCH, MAY);
        assertThat(criteria.matches(event(MARCH))).isTrue();
        assertThat(criteria.matches(event(ACME, "bob", "case.view", "case", "C-42", MARCH))).isFalse();
        assertThat(criteria.matches(event(ACME, "alice", "case.view", "invoice", "C-42", MARCH))).isFalse();
        assertThat(criteria.matches(event(ACME, "alice", "case.view", "case", "C-43", MARCH))).isFalse();
        assertThat(criteria.matches(event(ACME, "alice", "user.login", "case", "C-42", MARCH))).isFalse();
        assertThat(criteria.matches(event(ACME, "alice", "case.view", null, null, MARCH))).isFalse();
    }

    @Test
    void theTimeRangeIsHalfOpenOnOccurredAt() {
        HoldCriteria criteria = new HoldCriteria(null, null, null, null, MARCH, MAY);
        assertThat(criteria.matches(event(MARCH))).isTrue();
        assertThat(criteria.matches(event(MARCH.minusNanos(1000)))).isFalse();
        assertThat(criteria.matches(event(MAY.minusNanos(1000)))).isTrue();
        assertThat(criteria.matches(event(MAY))).isFalse();
        // occurredAt decides, not receivedAt
        assertThat(criteria.matches(new RetentionSubject(ACME, "a", "case.view", null, null, MARCH, MAY))).isTrue();
        assertThat(new HoldCriteria(null, null, null, null, MARCH, null).matches(event(MAY.plusSeconds(999))))
                .isTrue();
        assertThat(new HoldCriteria(null, null, null, null, null, MAY).matches(event(Instant.EPOCH))).isTrue();
    }

    @Test
    void criteriaAreValidated() {
        assertThatThrownBy(() -> new HoldCriteria(null, null, null, null, MAY, MARCH))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("to"));
        assertThatThrownBy(() -> new HoldCriteria(null, null, null, null, MAY, MAY))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("to"));
        assertThatThrownBy(() -> new HoldCriteria(null, null, null, "NOPE", null, null))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("actionPattern"));
        assertThatThrownBy(() -> new HoldCriteria(" ", null, null, null, null, null))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("actorId"));
        assertThatThrownBy(() -> new HoldCriteria(null, null, "x".repeat(257), null, null, null))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("resourceId"));
        assertThatThrownBy(() -> new HoldCriteria(null, null, null, null, MARCH.plusNanos(1), null))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("from"));
    }

    @Test
    void aReleasedHoldNoLongerCoversAndCannotBeReleasedTwice() {
        LegalHold hold = hold(ACME, new HoldCriteria(null, "case", "C-42", null, null, null));
        assertThat(hold.isActive()).isTrue();
        assertThat(hold.covers(event(MARCH))).isTrue();

        LegalHold released = hold.release("counsel-2", MAY, "case closed");

        assertThat(released.isActive()).isFalse();
        assertThat(released.covers(event(MARCH))).isFalse();
        assertThat(released.releasedBy()).isEqualTo("counsel-2");
        assertThat(released.releasedAt()).isEqualTo(MAY);
        assertThat(released.releaseReason()).isEqualTo("case closed");
        assertThat(released.reason()).isEqualTo(hold.reason());
        assertThatThrownBy(() -> released.release("counsel-3", MAY.plusSeconds(1), "again"))
                .isInstanceOfSatisfying(HoldAlreadyReleased.class, e -> assertThat(e.id()).isEqualTo(hold.id()));
    }

    @Test
    void placeAndReleaseValidateTheirText() {
        HoldId id = new HoldId(UUID.randomUUID());
        assertThatThrownBy(() -> LegalHold.place(id, ACME, null, null, " ", "counsel", T0))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("reason"));
        assertThatThrownBy(() -> LegalHold.place(id, ACME, null, "", "why", "counsel", T0))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("caseReference"));
        assertThatThrownBy(() -> LegalHold.place(id, null, null, null, "why", "counsel", T0))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("tenant"));
        LegalHold hold = LegalHold.place(id, ACME, null, null, "why", "counsel", T0);
        assertThat(hold.caseReference()).isNull();
        assertThatThrownBy(() -> hold.release("counsel", MAY, ""))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("reason"));
        assertThatThrownBy(() -> hold.release("counsel", T0.minusSeconds(1), "early"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LegalHold(id, ACME, null, null, "why", "counsel", T0, "x", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holdIdsAreTimeOrderedUuids() {
        SplittableRandom random = new SplittableRandom(1);
        HoldId first = HoldId.newTimeOrdered(MARCH, random);
        HoldId later = HoldId.newTimeOrdered(MAY, random);
        assertThat(first.value().version()).isEqualTo(7);
        assertThat(first.value().compareTo(later.value())).isNegative();
        assertThat(HoldId.parse(first.toString())).isEqualTo(first);
        assertThatThrownBy(() -> HoldId.parse("nope"))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("id"));
    }
}
