package io.stenographer.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTenantTest {

    private static Caller auditorOf(String... tenants) {
        return Caller.withRolesOnTenants("dana", Set.of(Role.AUDITOR),
                java.util.Arrays.stream(tenants).map(TenantId::new).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aNamedTenantIsTakenAsNamedEvenOneTheCallerLacksSoTheUseCaseRefusesIt() {
        assertThat(auditorOf("acme").namedOrOnlyTenant("globex")).isEqualTo(new TenantId("globex"));
    }

    @Test
    void noTenantNamedMeansTheCallersOnlyTenantOrAFieldViolation() {
        assertThat(auditorOf("acme").namedOrOnlyTenant(null)).isEqualTo(new TenantId("acme"));
        assertThatThrownBy(() -> auditorOf("acme", "globex").namedOrOnlyTenant(null))
                .isInstanceOf(FieldViolation.class).hasMessageContaining("tenant");
        assertThatThrownBy(() -> auditorOf().namedOrOnlyTenant(null)).isInstanceOf(FieldViolation.class);
    }
}
