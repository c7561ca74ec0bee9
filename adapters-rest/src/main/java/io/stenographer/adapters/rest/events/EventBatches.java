package io.stenographer.adapters.rest.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemException;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.adapters.rest.problem.ProblemType;
import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult;
import io.stenographer.application.port.in.RecordEventsResult.Conflicting;
import io.stenographer.application.port.in.RecordEventsResult.ItemOutcome;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsResult.Rejected;
import io.stenographer.application.port.in.RecordEventsResult.Replayed;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.FieldViolation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The batch ingest path: the envelope is checked whole (a wrong envelope refuses the batch), then every item is
 * mapped on its own, the valid ones recorded in one use-case call, and each item answered with its own status.
 */
@ApplicationScoped
class EventBatches {

    private final RecordEventsUseCase recordEvents;
    private final IngestMetrics metrics;
    private final int maxBatchBytes;
    private final int maxBatchEvents;

    EventBatches(RecordEventsUseCase recordEvents, IngestMetrics metrics,
            @ConfigProperty(name = "stenographer.ingest.max-batch-bytes", defaultValue = "1048576") int maxBatchBytes,
            @ConfigProperty(name = "stenographer.ingest.max-batch-events", defaultValue = "1000") int maxBatchEvents) {
        this.recordEvents = recordEvents;
        this.metrics = metrics;
        this.maxBatchBytes = maxBatchBytes;
        this.maxBatchEvents = maxBatchEvents;
    }

    BatchResponse record(Caller caller, byte[] body, String idempotencyKey) {
    JsonNode tree = StrictJson.readTree(body, maxBatchBytes);
        if (!tree.isObject()) {
            throw ProblemException.ofField(ProblemType.WRONG_TYPE, StrictJson.BODY, "must be a JSON object");
        }
        JsonNode items = tree.get("events");
        if (items == null || !items.isArray()) {
            throw ProblemException.ofField(ProblemType.VALIDATION_FAILED, "events",
                    "the body must be an object with an 'events' array");
        }
        if (tree.size() != 1) {
            throw ProblemException.ofField(ProblemType.UNKNOWN_FIELD, "(body)",
                    "only the 'events' member is allowed");
        }
        if (items.isEmpty()) {
            throw ProblemException.ofField(ProblemType.VALIDATION_FAILED, "events", "must not be empty");
        }
        if (items.size() > maxBatchEvents) {
            throw ProblemException.of(ProblemType.BATCH_TOO_LARGE,
                    "the batch holds " + items.size() + " events; the limit is " + maxBatchEvents);
        }
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                // Not an event at all: the envelope is wrong, not one item.
                throw ProblemException.ofField(ProblemType.WRONG_TYPE, "events[" + i + "]",
                        "must be a JSON object");
            }
        }
        return recordItems(caller, items, idempotencyKey);
    }

    private BatchResponse recordItems(Caller caller, JsonNode items, String idempotencyKey) {
        int size = items.size();
        BatchResponse.Item[] results = new BatchResponse.Item[size];
        List<EventDraft> drafts = new ArrayList<>(size);
        List<Integer> draftIndexes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String at = "events[" + i + "]";
            try {
                EventDraft draft = EventRequestMapper.toDraft(StrictJson.bind(items.get(i), EventRequest.class, at),
                        caller);
                if (draft.clientEventId() == null && idempotencyKey != null) {
                    draft = withIdempotencyKey(draft, idempotencyKey + ":" + i);
                }
                drafts.add(draft);
                draftIndexes.add(i);
            } catch (ProblemException e) {
                results[i] = rejectedItem(i, e.problem());
            } catch (FieldViolation e) {
                FieldViolation nested = e.under(at);
                results[i] = rejectedItem(i, ProblemResponse.ofField(ProblemType.VALIDATION_FAILED,
                        nested.field(), nested.detail()));
            }
        }
        if (!drafts.isEmpty()) {
            RecordEventsResult result = recordEvents.record(new RecordEventsCommand(caller, drafts));
            for (int d = 0; d < drafts.size(); d++) {
                int i = draftIndexes.get(d);
                results[i] = toItem(i, result.items().get(d));
            }
        }
        int created = 0;
        int duplicates = 0;
        int rejected = 0;
        int conflicts = 0;
        for (BatchResponse.Item item : results) {
            switch (item.status()) {
                case "created" -> created++;
                case "duplicate" -> duplicates++;
                case "conflict" -> conflicts++;
                default -> {
                    rejected++;
                    metrics.rejected(item.problem().slug(), 1);
                }
            }
        }
        metrics.ingested(created, "created");
        metrics.ingested(duplicates, "duplicate");
        metrics.rejected(ProblemType.IDEMPOTENCY_CONFLICT.slug(), conflicts);
        return new BatchResponse(created, duplicates, rejected, conflicts, List.of(results));
    }

    static EventDraft withIdempotencyKey(EventDraft draft, String key) {
        if (key == null) {
            return draft;
        }
        if (draft.clientEventId() != null && !draft.clientEventId().equals(key)) {
            throw new FieldViolation("clientEventId", "differs from the Idempotency-Key header");
        }
        try {
            return draft.withClientEventId(key);
        } catch (FieldViolation e) {
            throw new FieldViolation("Idempotency-Key", e.detail());
        }
    }

    static ProblemException conflict(Conflicting conflicting) {
        return ProblemException.ofField(ProblemType.IDEMPOTENCY_CONFLICT, "clientEventId",
                conflicting.existingId() == null
                        ? "'" + conflicting.clientEventId() + "' already identifies another event of this tenant: one"
                                + " sent by another submitter, or one no longer in the hot store"
                        : "'" + conflicting.clientEventId() + "' already identifies event " + conflicting.existingId()
                                + " with different content");
    }

    private static BatchResponse.Item toItem(int index, ItemOutcome outcome) {
        if (outcome instanceof Recorded recorded) {
            return item(index, ReceiptResponse.created(recorded.receipt()));
        }
        if (outcome instanceof Replayed replayed) {
            return item(index, ReceiptResponse.duplicate(replayed.receipt()));
        }
        if (outcome instanceof Rejected rejected) {
            FieldViolation nested = rejected.violation().under("events[" + index + "]");
            return rejectedItem(index, ProblemResponse.ofField(ProblemType.VALIDATION_FAILED, nested.field(),
                    nested.detail()));
        }
        Conflicting conflicting = (Conflicting) outcome;
        return new BatchResponse.Item(index, "conflict",
                conflicting.existingId() == null ? null : conflicting.existingId().toString(), null, null, null,
                conflict(conflicting).problem(), null, null);
    }

    private static BatchResponse.Item rejectedItem(int index, ProblemResponse problem) {
        return new BatchResponse.Item(index, "rejected", null, null, null, null, problem, null, null);
    }

    private static BatchResponse.Item item(int index, ReceiptResponse receipt) {
        return new BatchResponse.Item(index, receipt.status(), receipt.id(), receipt.leafHash(),
                receipt.receivedAt(), receipt.submittedBy(), null, receipt.openings(),
                receipt.pseudonyms());
    }
}
