package io.stenographer.bootstrap.support;

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
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** Domain-level events for tests that bypass HTTP. */
public final class TestEvents {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestEvents() {
    }

    public static EventDraft draft(TenantId tenant, String actor) {
        return new EventDraft(tenant, new Actor(actor, ActorType.USER, null), Action.of("case.view"),
                new ResourceRef("case", "C-" + UUID.randomUUID()), "test", Outcome.SUCCESS,
                Instant.now().truncatedTo(ChronoUnit.MICROS), new Source("test-suite", "127.0.0.1", null), null,
                new JsonObject(Map.of("k", new JsonString("v"))), null);
    }

    public static AuditEvent sealed(TenantId tenant, String actor) {
        Instant now = Instant.now();
        return AuditEvent.record(EventId.newTimeOrdered(now, RANDOM), now, "test-suite", draft(tenant, actor));
    }
}
