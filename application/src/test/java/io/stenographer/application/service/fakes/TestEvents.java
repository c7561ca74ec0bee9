package io.stenographer.application.service.fakes;

import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.PolicyMatcher;
import io.stenographer.domain.retention.RetentionPeriod;
import io.stenographer.domain.retention.RetentionPolicy;
import java.time.Instant;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Sealed events and retention policies for the archive and purge tests. */
public final class TestEvents {

    public static final Instant POLICIES_CREATED = Instant.parse("2020-01-01T00:00:00Z");
    /** Archive after 30 days, keep one year. */
    public static final RetentionPolicy DEFAULT_POLICY = RetentionPolicy.create(PolicyId.of("default"), 1,
            PolicyMatcher.ANY, RetentionPeriod.parse("P30D"), RetentionPeriod.parse("P1Y"), "statutory minimum",
            "ops", POLICIES_CREATED);
    /** payment.* events: archive after 30 days, keep ten years. */
    public static final RetentionPolicy PAYMENTS_POLICY = RetentionPolicy.create(PolicyId.of("payments"), 2,
            new PolicyMatcher(null, "payment.*", null), RetentionPeriod.parse("P30D"), RetentionPeriod.parse("P10Y"),
            "tax law", "ops", POLICIES_CREATED);

    private TestEvents() {
    }

    /** A sealed event about case {@code resourceId}, received at {@code receivedAt}, occurred a second earlier. */
    public static AuditEvent event(TenantId tenant, String action, String resourceId, Instant receivedAt,
            RandomGenerator random) {
        return event(tenant, action, resourceId, receivedAt.minusSeconds(1), receivedAt, random);
    }

    public static AuditEvent event(TenantId tenant, String action, String resourceId, Instant occurredAt,
            Instant receivedAt, RandomGenerator random) {
        EventDraft draft = new EventDraft(tenant, new Actor("alice", ActorType.USER, "Alice"), Action.of(action),
                new ResourceRef("case", resourceId), null, Outcome.SUCCESS, occurredAt,
                new Source("portal", "192.0.2.10", "test"), "corr-1",
                new JsonObject(Map.of("note", new JsonString("Zoë € " + resourceId))), null);
        return AuditEvent.record(EventId.newTimeOrdered(receivedAt, random), receivedAt, "svc-writer", draft);
    }
}
