package io.stenographer.application.service;

import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult;
import io.stenographer.application.port.in.RecordEventsResult.Conflicting;
import io.stenographer.application.port.in.RecordEventsResult.ItemOutcome;
import io.stenographer.application.port.in.RecordEventsResult.Receipt;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsResult.Rejected;
import io.stenographer.application.port.in.RecordEventsResult.Replayed;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.application.port.out.AppendEventsPort;
import io.stenographer.application.port.out.ClientEventIdTaken;
import io.stenographer.application.port.out.LoadEventsPort;
import io.stenographer.application.port.out.LoadEventsPort.IdempotencyRecord;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.SealedEvent;
import io.stenographer.domain.event.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Seals drafts into events and appends them in one transaction. Idempotency keys are checked in the
 * same transaction; if a concurrent request wins the race for a key, the whole use case runs once
 * more and then sees that request's event.
 */
public final class RecordEventsService implements RecordEventsUseCase {

    private final AppendEventsPort appendEvents;
    private final LoadEventsPort loadEvents;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration maxFutureSkew;

    public RecordEventsService(AppendEventsPort appendEvents, LoadEventsPort loadEvents,
            TransactionRunner transactions, Clock clock, RandomGenerator random, Duration maxFutureSkew) {
        this.appendEvents = Objects.requireNonNull(appendEvents);
        this.loadEvents = Objects.requireNonNull(loadEvents);
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew);
    }

    @Override
    public RecordEventsResult record(RecordEventsCommand command) {
        // A writer touching a foreign tenant is refused whole, before anything is stored.
        for (EventDraft draft : command.drafts()) {
            command.caller().require(Role.AUDIT_WRITER, draft.tenant());
        }
        try {
            return transactions.inTransaction(() -> recordOnce(command));
        } catch (ClientEventIdTaken lostRace) {
            return transactions.inTransaction(() -> recordOnce(command));
        }
    }

    private RecordEventsResult recordOnce(RecordEventsCommand command) {
        Instant now = clock.instant();
        Instant latestAllowed = now.plus(maxFutureSkew);
        Map<TenantId, Map<String, IdempotencyRecord>> known = lookUpKnownKeys(command.drafts());
        List<ItemOutcome> outcomes = new ArrayList<>(command.drafts().size());
        List<SealedEvent> toAppend = new ArrayList<>();
        for (EventDraft draft : command.drafts()) {
            Optional<FieldViolation> impersonation = SelfAudit.impersonates(draft);
            if (impersonation.isPresent()) {
                outcomes.add(new Rejected(impersonation.get()));
                continue;
            }
            if (draft.occurredAt().isAfter(latestAllowed)) {
                outcomes.add(new Rejected(new FieldViolation("occurredAt",
                        "is more than " + maxFutureSkew + " in the future")));
                continue;
            }
            String key = draft.clientEventId();
            String digest = key == null ? null : draft.contentDigest();
            IdempotencyRecord earlier = key == null ? null : known.get(draft.tenant()).get(key);
            if (earlier != null) {
                outcomes.add(earlier.sameContentAs(digest)
                        ? new Replayed(new Receipt(earlier.id(), earlier.leafHash(), earlier.receivedAt(),
                                earlier.submittedBy()))
                        : new Conflicting(key, earlier.id()));
                continue;
            }
            SealedEvent sealed = SealedEvent.of(AuditEvent.record(EventId.newTimeOrdered(now, random), now,
                    command.caller().submitter(), draft));
            AuditEvent event = sealed.event();
            Receipt receipt = new Receipt(event.id(), sealed.leafHash(), event.receivedAt(), event.submittedBy());
            if (key != null) {
                // A key repeated inside one batch behaves like a retry of its first occurrence.
                known.get(draft.tenant()).put(key,
                        new IdempotencyRecord(event.id(), receipt.leafHash(), event.receivedAt(),
                                event.submittedBy(), digest));
            }
            toAppend.add(sealed);
            outcomes.add(new Recorded(receipt));
        }
        if (!toAppend.isEmpty()) {
            appendEvents.append(toAppend);
        }
        return new RecordEventsResult(outcomes);
    }

    private Map<TenantId, Map<String, IdempotencyRecord>> lookUpKnownKeys(List<EventDraft> drafts) {
        Map<TenantId, Set<String>> keysByTenant = new HashMap<>();
        for (EventDraft draft : drafts) {
            keysByTenant.computeIfAbsent(draft.tenant(), t -> new LinkedHashSet<>());
            if (draft.clientEventId() != null) {
                keysByTenant.get(draft.tenant()).add(draft.clientEventId());
            }
        }
        Map<TenantId, Map<String, IdempotencyRecord>> known = new HashMap<>();
        keysByTenant.forEach((tenant, keys) -> known.put(tenant,
                keys.isEmpty() ? new HashMap<>() : new HashMap<>(loadEvents.findByClientEventIds(tenant, keys))));
        return known;
    }
}
