package io.stenographer.application.service.fakes;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Valid drafts and callers for service tests. */
public final class TestDrafts {

    public static final TenantId ACME = TenantId.of("acme");
    public static final TenantId GLOBEX = TenantId.of("globex");

    private TestDrafts() {
    }

    public static EventDraft draft(TenantId tenant, String action, Instant occurredAt, String clientEventId) {
        return new EventDraft(tenant, new Actor("alice", ActorType.USER, "Alice"), Action.of(action),
                new ResourceRef("case", "C-1"), "background check", Outcome.SUCCESS, occurredAt,
                new Source("portal", "192.0.2.10", "test"), "corr-1",
                new JsonObject(Map.of("field", new JsonString("ssn"))), clientEventId);
    }

    public static Caller writer(String subject, TenantId... tenants) {
        return caller(subject, Role.AUDIT_WRITER, tenants);
    }

    public static Caller auditor(String subject, TenantId... tenants) {
        return caller(subject, Role.AUDITOR, tenants);
    }

    public static Caller caller(String subject, Role role, TenantId... tenants) {
        return Caller.withRolesOnTenants(subject, Set.of(role), Arrays.stream(tenants).collect(Collectors.toSet()));
    }
}
