package io.stenographer.application.service;

import io.stenographer.application.port.in.JobRequest;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** Builds the events Stenographer records about its own use (queries, reads, ...). */
final class SelfAudit {

    static final String APPLICATION = "stenographer";

    private final Clock clock;
    private final RandomGenerator random;

    SelfAudit(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    SealedEvent event(Caller caller, TenantId tenant, String action, JsonObject metadata) {
        return event(caller.subject(), tenant, action, null, metadata);
    }

    /** As above, naming the record the action was about (e.g. a retention policy or a legal hold). */
    SealedEvent event(Caller caller, TenantId tenant, String action, ResourceRef resource, JsonObject metadata) {
        return event(caller.subject(), tenant, action, resource, metadata);
    }

    /** An event on behalf of {@code subject}; the scheduler acts as {@link JobRequest#SCHEDULER}, a service. */
    SealedEvent event(String subject, TenantId tenant, String action, JsonObject metadata) {
        return event(subject, tenant, action, null, metadata);
    }

    private SealedEvent event(String subject, TenantId tenant, String action, ResourceRef resource,
            JsonObject metadata) {
        Instant now = clock.instant();
        ActorType type = JobRequest.SCHEDULER.equals(subject) ? ActorType.SERVICE : ActorType.USER;
        EventDraft draft = new EventDraft(tenant, new Actor(subject, type, null),
                Action.of(action), resource, null, Outcome.SUCCESS, Timestamps.truncate(now),
                new Source(APPLICATION, null, null), null, metadata, null);
        return SealedEvent.of(AuditEvent.record(EventId.newTimeOrdered(now, random), now, subject, draft));
    }
}
