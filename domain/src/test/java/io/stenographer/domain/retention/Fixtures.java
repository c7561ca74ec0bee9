package io.stenographer.domain.retention;

import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.UUID;

/** Small builders for retention tests. */
final class Fixtures {

    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    private Fixtures() {
    }

    static RetentionSubject subject(TenantId tenant, String action, String resourceType) {
        return new RetentionSubject(tenant, "alice", action, resourceType, resourceType == null ? null : "R-1",
                T0, T0);
    }

    static RetentionSubject received(Instant receivedAt) {
        return new RetentionSubject(ACME, "alice", "case.view", "case", "C-1", receivedAt, receivedAt);
    }

    static RetentionPolicy policy(String id, PolicyMatcher matcher, String archiveAfter, String retainFor) {
        return RetentionPolicy.create(PolicyId.of(id), 1, matcher, RetentionPeriod.parse(archiveAfter),
                RetentionPeriod.parse(retainFor), "test basis", "admin", T0);
    }

    static RetentionPolicy defaultPolicy() {
        return policy("default", PolicyMatcher.ANY, "P90D", "P7Y");
    }

    static LegalHold hold(TenantId tenant, HoldCriteria criteria) {
        return LegalHold.place(new HoldId(UUID.randomUUID()), tenant, criteria, "CASE-1", "litigation", "counsel", T0);
    }
}
