package io.stenographer.application.service;

import io.stenographer.application.port.in.JobRun;
import io.stenographer.application.port.in.RunJobCommand;
import io.stenographer.application.port.out.AppendEventsPort;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Records Stenographer's own use (queries, reads, exports, verifications, policy changes, holds, job runs,
 * reports) as events in the tenant's log. One instance is shared by all services. Each {@code record}
 * appends in the caller's transaction, so the audit event is stored together with what it describes.
 */
public final class SelfAudit {

    public static final String APPLICATION = io.stenographer.domain.event.Source.SERVICE;

    /** The action namespaces of Stenographer's own events; no writer may use them. */
    public static final List<String> RESERVED_ACTION_PREFIXES = List.of("audit.", "report.", "retention.",
            "legal-hold.", "archive.", "purge.", "log.", "stream.", "subject.");

    /**
     * Why a writer's event would pass for one of Stenographer's own, if it would: its action is in a reserved
     * namespace, or it names {@value #APPLICATION} as its source application.
     */
    public static Optional<FieldViolation> impersonates(EventDraft draft) {
        String action = draft.action().value();
        for (String prefix : RESERVED_ACTION_PREFIXES) {
            if (action.startsWith(prefix)) {
                return Optional.of(new FieldViolation("action", "actions under '" + prefix
                        + "' are reserved for Stenographer's own events"));
            }
        }
        if (draft.source().application().equalsIgnoreCase(APPLICATION)) {
            return Optional.of(new FieldViolation("source.application", "'" + APPLICATION
                    + "' is reserved for Stenographer's own events"));
        }
        return Optional.empty();
    }

    private final AppendEventsPort appendEvents;
    private final Clock clock;
    private final RandomGenerator random;
    private final StoredIdentifiers identifiers;

    /**
     * @param identifiers how a tenant's events hold an actor id: the caller is named by its pseudonym where the
     *                    tenant's policy makes {@code actor.id} personal, so that a search by a staff member's id
     *                    finds their own events too ({@code submittedBy} keeps the authenticated subject)
     */
    public SelfAudit(AppendEventsPort appendEvents, Clock clock, RandomGenerator random,
            StoredIdentifiers identifiers) {
        this.identifiers = java.util.Objects.requireNonNull(identifiers);
        this.appendEvents = appendEvents;
        this.clock = clock;
        this.random = random;
    }

    public void record(Caller caller, TenantId tenant, String action, JsonObject metadata) {
        record(caller.subject(), tenant, action, null, metadata);
    }

    /** As above, naming the record the action was about (e.g. a retention policy or a legal hold). */
    public void record(Caller caller, TenantId tenant, String action, ResourceRef resource, JsonObject metadata) {
        record(caller.subject(), tenant, action, resource, metadata);
    }

    /** On behalf of {@code subject}; the scheduler acts as {@link RunJobCommand#SCHEDULER}, a service. */
    public void record(String subject, TenantId tenant, String action, JsonObject metadata) {
        record(subject, tenant, action, null, metadata);
    }

    /**
     * The event a job run leaves in each tenant's log ({@code archive.run}, {@code purge.run}): the job's counts,
     * then the run it belongs to and whether it was a dry run. Archive and purge write the same envelope.
     */
    public void recordJobRun(RunJobCommand request, JobRun run, TenantId tenant, String action,
            Map<String, JsonValue> counts) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>(counts);
        metadata.put("jobRunId", new JsonString(run.id().toString()));
        metadata.put("dryRun", JsonBoolean.of(request.dryRun()));
        record(request.requestedBy(), tenant, action, new JsonObject(metadata));
    }

    /** As above, returning the stored event, for a caller that must integrate it itself (the sequencer). */
    public SealedEvent recordReturning(String subject, TenantId tenant, String action, ResourceRef resource,
            JsonObject metadata) {
        return record(subject, tenant, action, resource, metadata);
    }

    private SealedEvent record(String subject, TenantId tenant, String action, ResourceRef resource,
            JsonObject metadata) {
        SealedEvent event = event(subject, tenant, action, resource, metadata);
        identifiers.beforeEventsOf(tenant);
        appendEvents.append(List.of(event));
        return event;
    }

    private SealedEvent event(String subject, TenantId tenant, String action, ResourceRef resource,
            JsonObject metadata) {
        Instant now = clock.instant();
        ActorType type = RunJobCommand.SCHEDULER.equals(subject) ? ActorType.SERVICE : ActorType.USER;
        EventDraft draft = new EventDraft(tenant,
                new Actor(identifiers.of(tenant, io.stenographer.domain.event.PersonalField.ACTOR_ID, subject), type,
                        null),
                Action.of(action), resource, null, Outcome.SUCCESS, Timestamps.truncate(now),
                new Source(APPLICATION, null, null), null, metadata, null);
        return SealedEvent.of(AuditEvent.record(EventId.newTimeOrdered(now, random), now, subject, draft));
    }
}
