package io.stenographer.application.service;

import io.stenographer.application.port.in.EventNotFound;
import io.stenographer.application.port.in.GetEventQuery;
import io.stenographer.application.port.in.GetEventUseCase;
import io.stenographer.application.port.out.CatalogSegmentsPort;
import io.stenographer.application.port.out.LoadEventsPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one event. An event in a tenant the caller may not read is reported as not found, so ids
 * cannot be used to probe other tenants.
 */
public final class GetEventService implements GetEventUseCase {

    private final LoadEventsPort loadEvents;
    private final CatalogSegmentsPort catalog;
    private final ArchivedEventReader archived;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;

    public GetEventService(LoadEventsPort loadEvents, CatalogSegmentsPort catalog, ArchivedEventReader archived,
            SelfAudit selfAudit, TransactionRunner transactions) {
        this.loadEvents = loadEvents;
        this.catalog = catalog;
        this.archived = archived;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
    }

    @Override
    public AuditEvent get(GetEventQuery query) {
        Caller caller = query.caller();
        return transactions.inTransaction(() -> {
            AuditEvent event = loadEvents.findById(query.id())
                    .or(() -> fromArchive(caller, query.id()))
                    .filter(found -> caller.mayRead(found.tenant()))
                    .orElseThrow(() -> new EventNotFound(query.id()));
            selfAudit.record(caller, event.tenant(), QueryEventsService.AUDIT_QUERY,
                    new JsonObject(Map.of("eventId", new JsonString(event.id().toString()))));
            return event;
        });
    }

    /** A purged event, read back from its checked segment; access is checked before the archive is touched. */
    private Optional<AuditEvent> fromArchive(Caller caller, EventId id) {
        return catalog.archivedEvent(id)
                .filter(ref -> caller.mayRead(ref.tenant()))
                .map(ref -> archived.read(List.of(ref)).get(0));
    }
}
