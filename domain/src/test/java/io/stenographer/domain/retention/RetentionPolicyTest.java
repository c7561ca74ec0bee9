package io.stenographer.domain.retention;

import static io.stenographer.domain.retention.Fixtures.T0;
import static io.stenographer.domain.retention.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.FieldViolation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static RetentionPolicy with(int version, String archiveAfter, String retainFor, String legalBasis) {
        return RetentionPolicy.create(PolicyId.of("p"), version, PolicyMatcher.ANY,
                RetentionPeriod.parse(archiveAfter), RetentionPeriod.parse(retainFor), legalBasis, "admin", T0);
    }

    @Test
    void aNewVersionIsActiveAndRetiringItRecordsWhoAndWhen() {
        RetentionPolicy policy = policy("cases", PolicyMatcher.ANY, "P90D", "P7Y");
        assertThat(policy.isActive()).isTrue();

        Instant at = T0.plusSeconds(60);
        RetentionPolicy retired = policy.retire("admin-2", at);

        assertThat(retired.isActive()).isFalse();
        assertThat(retired.retiredAt()).isEqualTo(at);
        assertThat(retired.retiredBy()).isEqualTo("admin-2");
        assertThat(retired.id()).isEqualTo(policy.id());
        assertThat(retired.retainFor()).isEqualTo(policy.retainFor());
        assertThatThrownBy(() -> retired.retire("admin-3", at.plusSeconds(1)))
                .isInstanceOfSatisfying(PolicyAlreadyRetired.class, e -> {
                    assertThat(e.id()).isEqualTo(policy.id());
                    assertThat(e.version()).isEqualTo(1);
                });
    }

    @Test
    void retainForMustBeAtLeastArchiveAfterAndLongerThanZero() {
        assertThat(with(1, "P1Y", "P1Y", "basis").retainFor().iso()).isEqualTo("P1Y");
        assertThat(with(1, "P0D", "PT1S", "basis").archiveAfter().isZero()).isTrue();
        assertThatThrownBy(() -> with(1, "P1Y", "P364D", "basis"))
                .isInstanceOfSatisfying(FieldViolation.class, v -> {
                    assertThat(v.field()).isEqualTo("retainFor");
                    assertThat(v.detail()).contains("archiveAfter");
                });
        assertThatThrownBy(() -> with(1, "P0D", "P0D", "basis"))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("retainFor"));
    }

    @Test
    void versionStartsAtOne() {
        assertThat(with(1, "P1D", "P1Y", "b").version()).isEqualTo(1);
        assertThatThrownBy(() -> with(0, "P1D", "P1Y", "b"))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("version"));
    }

    @Test
    void legalBasisIsRequiredAndBounded() {
        assertThat(with(1, "P1D", "P1Y", "x".repeat(1000)).legalBasis()).hasSize(1000);
        assertThatThrownBy(() -> with(1, "P1D", "P1Y", "x".repeat(1001)))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("legalBasis"));
        assertThatThrownBy(() -> with(1, "P1D", "P1Y", "  "))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("legalBasis"));
        assertThatThrownBy(() -> with(1, "P1D", "P1Y", null))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("legalBasis"));
        assertThatThrownBy(() -> with(1, "P1D", "P1Y", "bad\u0000basis"))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("legalBasis"));
    }

    @Test
    void aRetirementHasBothTimeAndAuthorAndIsNotBeforeCreation() {
        RetentionPolicy p = policy("p", PolicyMatcher.ANY, "P1D", "P1Y");
        assertThatThrownBy(() -> new RetentionPolicy(p.id(), 1, p.matcher(), p.archiveAfter(), p.retainFor(),
                p.legalBasis(), p.createdBy(), p.createdAt(), T0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetentionPolicy(p.id(), 1, p.matcher(), p.archiveAfter(), p.retainFor(),
                p.legalBasis(), p.createdBy(), p.createdAt(), null, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.retire("admin", T0.minusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.retire("admin", T0).retiredAt()).isEqualTo(T0);
    }

    @Test
    void policyIdsAreShortLowerCaseNames() {
        assertThat(PolicyId.of("hr.cases_v2-eu").value()).isEqualTo("hr.cases_v2-eu");
        assertThat(PolicyId.of("a".repeat(64)).value()).hasSize(64);
        for (String bad : new String[] {"", "-a", ".a", "A", "a b", "a/b", "a".repeat(65), "é"}) {
            assertThatThrownBy(() -> PolicyId.of(bad))
                    .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("id"));
        }
        assertThatThrownBy(() -> PolicyId.of(null)).isInstanceOf(FieldViolation.class);
    }
}
