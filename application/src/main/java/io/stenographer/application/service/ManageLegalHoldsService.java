package io.stenographer.application.service;

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
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Places and releases legal holds, each with its self-audit event in one transaction, and tells every
 * {@link PropagateLegalHoldsPort} about the change inside that transaction.
 */
public final class ManageLegalHoldsService implements ManageLegalHoldsUseCase {

    static final String HOLD_PLACED = "legal-hold.placed";
    static final String HOLD_RELEASED = "legal-hold.released";
    static final String RESOURCE_TYPE = "legal-hold";

    private final StoreLegalHoldsPort holds;
    private final List<PropagateLegalHoldsPort> listeners;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param listeners told about every placed and released hold, in this order, inside the transaction
     */
    public ManageLegalHoldsService(StoreLegalHoldsPort holds, List<PropagateLegalHoldsPort> listeners,
            SelfAudit selfAudit, TransactionRunner transactions, Clock clock, RandomGenerator random) {
        this.holds = holds;
        this.listeners = List.copyOf(listeners);
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public LegalHold place(PlaceLegalHoldCommand command) {
        Caller caller = command.caller();
        caller.require(Role.COMPLIANCE_ADMIN, command.tenant());
        Instant now = Timestamps.truncate(clock.instant());
        LegalHold hold = LegalHold.place(HoldId.newTimeOrdered(now, random), command.tenant(), command.criteria(),
                command.caseReference(), command.reason(), caller.subject(), now);
        return transactions.inTransaction(() -> {
            holds.appendHold(hold);
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("holdId", new JsonString(hold.id().toString()));
            metadata.put("criteria", describe(hold.criteria()));
            put(metadata, "caseReference", hold.caseReference());
            metadata.put("reason", new JsonString(hold.reason()));
            audit(caller, hold, HOLD_PLACED, metadata);
            listeners.forEach(listener -> listener.placed(hold));
            return hold;
        });
    }

    @Override
    public LegalHold release(ReleaseLegalHoldCommand command) {
        Caller caller = command.caller();
        return transactions.inTransaction(() -> {
            LegalHold hold = visible(caller, command.id());
            caller.require(Role.COMPLIANCE_ADMIN, hold.tenant());
            LegalHold released = hold.release(caller.subject(), Timestamps.truncate(clock.instant()),
                    command.reason());
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("holdId", new JsonString(released.id().toString()));
            put(metadata, "caseReference", released.caseReference());
            metadata.put("reason", new JsonString(released.releaseReason()));
            metadata.put("placedAt", new JsonString(Timestamps.format(released.placedAt())));
            metadata.put("placedBy", new JsonString(released.placedBy()));
            // The event first: the database refuses a release that left no trace in the tenant's log.
            audit(caller, released, HOLD_RELEASED, metadata);
            holds.appendRelease(released);
            listeners.forEach(listener -> listener.released(released));
            return released;
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
