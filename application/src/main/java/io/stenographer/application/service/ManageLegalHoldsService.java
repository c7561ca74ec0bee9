package io.stenographer.application.service;

import io.stenographer.application.port.in.LegalHoldChange;
import io.stenographer.application.port.in.LegalHoldNotFound;
import io.stenographer.application.port.in.LegalHoldQuery;
import io.stenographer.application.port.in.LegalHoldsQuery;
import io.stenographer.application.port.in.ManageLegalHoldsUseCase;
import io.stenographer.application.port.in.PlaceLegalHoldCommand;
import io.stenographer.application.port.in.ReleaseLegalHoldCommand;
import io.stenographer.application.port.out.PropagateLegalHoldsPort;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.HoldPropagation;
import io.stenographer.domain.retention.LegalHold;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Places and releases legal holds, each with its self-audit event in one short transaction, and then tells every
 * {@link PropagateLegalHoldsPort} about the committed change; what they could not do is reported and recorded.
 */
public final class ManageLegalHoldsService implements ManageLegalHoldsUseCase {

    static final String HOLD_PLACED = "legal-hold.placed";
    static final String HOLD_RELEASED = "legal-hold.released";
    static final String HOLD_ARCHIVE_INCOMPLETE = "legal-hold.archive-flags-incomplete";
    static final String RESOURCE_TYPE = "legal-hold";

    private final StoreLegalHoldsPort holds;
    private final List<PropagateLegalHoldsPort> listeners;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param listeners told about every placed and released hold, in this order, after it committed
     */
    private final StoredIdentifiers identifiers;

    public ManageLegalHoldsService(StoreLegalHoldsPort holds, List<PropagateLegalHoldsPort> listeners,
            SelfAudit selfAudit, TransactionRunner transactions, Clock clock, RandomGenerator random,
            StoredIdentifiers identifiers) {
        this.identifiers = java.util.Objects.requireNonNull(identifiers);
        this.holds = holds;
        this.listeners = List.copyOf(listeners);
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public LegalHoldChange place(PlaceLegalHoldCommand command) {
        Caller caller = command.caller();
        caller.require(Role.COMPLIANCE_ADMIN, command.tenant());
        Instant now = Timestamps.truncate(clock.instant());
        // Kept, matched and recorded as the events store the identifiers: never a personal id in clear.
        LegalHold hold = LegalHold.place(HoldId.newTimeOrdered(now, random), command.tenant(),
                identifiers.of(command.tenant(), command.criteria()),
                command.caseReference(), command.reason(), caller.subject(), now);
        // One short transaction makes the hold effective at once; the archive's flags follow outside it.
        transactions.inTransaction(() -> {
            holds.appendHold(hold);
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("holdId", new JsonString(hold.id().toString()));
            metadata.put("criteria", describe(hold.criteria()));
            put(metadata, "caseReference", hold.caseReference());
            metadata.put("reason", new JsonString(hold.reason()));
            audit(caller, hold, HOLD_PLACED, metadata);
            return null;
        });
        return propagated(caller, hold, listener -> listener.placed(hold));
    }

    @Override
    public LegalHoldChange release(ReleaseLegalHoldCommand command) {
        Caller caller = command.caller();
        LegalHold released = transactions.inTransaction(() -> {
            LegalHold hold = visible(caller, command.id());
            caller.require(Role.COMPLIANCE_ADMIN, hold.tenant());
            LegalHold releasing = hold.release(caller.subject(), Timestamps.truncate(clock.instant()),
                    command.reason());
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("holdId", new JsonString(releasing.id().toString()));
            put(metadata, "caseReference", releasing.caseReference());
            metadata.put("reason", new JsonString(releasing.releaseReason()));
            metadata.put("placedAt", new JsonString(Timestamps.format(releasing.placedAt())));
            metadata.put("placedBy", new JsonString(releasing.placedBy()));
            // The event first: the database refuses a release that left no trace in the tenant's log.
            audit(caller, releasing, HOLD_RELEASED, metadata);
            holds.appendRelease(releasing);
            return releasing;
        });
        return propagated(caller, released, listener -> listener.released(released));
    }

    /**
     * Tells every listener about the committed change; archive flags left behind are recorded in the tenant's log,
     * where auditors see them, until an archive run applies them.
     */
    private LegalHoldChange propagated(Caller caller, LegalHold hold,
            Function<PropagateLegalHoldsPort, HoldPropagation> tell) {
        HoldPropagation archive = HoldPropagation.NONE;
        for (PropagateLegalHoldsPort listener : listeners) {
            archive = archive.and(tell.apply(listener));
        }
        if (!archive.complete()) {
            recordIncomplete(caller, hold, archive);
        }
        return new LegalHoldChange(hold, archive);
    }

    private void recordIncomplete(Caller caller, LegalHold hold, HoldPropagation archive) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("holdId", new JsonString(hold.id().toString()));
        metadata.put("segments", new JsonNumber(archive.segments()));
        metadata.put("applied", new JsonNumber(archive.applied()));
        metadata.put("problems", new JsonArray(archive.problems().stream().<JsonValue>map(JsonString::new).toList()));
        transactions.inTransaction(() -> {
            audit(caller, hold, HOLD_ARCHIVE_INCOMPLETE, metadata);
            return null;
        });
    }

    @Override
    public List<LegalHold> list(LegalHoldsQuery query) {
        query.caller().requireGovernanceReader(query.tenant());
        List<LegalHold> found = transactions.inTransaction(() -> query.status() == LegalHoldsQuery.Status.ACTIVE
                ? holds.active(query.tenant())
                : holds.all(query.tenant()));
        return found.stream().filter(query.status()::includes).toList();
    }

    @Override
    public LegalHold get(LegalHoldQuery query) {
        return transactions.inTransaction(() -> visible(query.caller(), query.id()));
    }

    /** The hold, if the caller may at least read its tenant; otherwise "not found", so ids cannot probe. */
    private LegalHold visible(Caller caller, HoldId id) {
        LegalHold hold = holds.find(id).orElseThrow(() -> new LegalHoldNotFound(id));
        if (!caller.mayReadGovernance(hold.tenant())) {
            throw new LegalHoldNotFound(id);
        }
        return hold;
    }

    private void audit(Caller caller, LegalHold hold, String action, Map<String, JsonValue> metadata) {
        selfAudit.record(caller, hold.tenant(), action, new ResourceRef(RESOURCE_TYPE, hold.id().toString()),
                new JsonObject(metadata));
    }

    static JsonObject describe(HoldCriteria criteria) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        put(members, "actorId", criteria.actorId());
        put(members, "resourceType", criteria.resourceType());
        put(members, "resourceId", criteria.resourceId());
        put(members, "actionPattern", criteria.actionPattern());
        put(members, "from", criteria.from() == null ? null : Timestamps.format(criteria.from()));
        put(members, "to", criteria.to() == null ? null : Timestamps.format(criteria.to()));
        return new JsonObject(members);
    }

    private static void put(Map<String, JsonValue> members, String name, String value) {
        if (value != null) {
            members.put(name, new JsonString(value));
        }
    }
}
