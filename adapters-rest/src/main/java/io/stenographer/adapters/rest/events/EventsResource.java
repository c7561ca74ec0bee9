package io.stenographer.adapters.rest.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.logs.InclusionProofResponse;
import io.stenographer.adapters.rest.problem.ProblemException;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.adapters.rest.problem.ProblemType;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.EventInclusionQuery;
import io.stenographer.application.port.in.GetEventQuery;
import io.stenographer.application.port.in.GetEventUseCase;
import io.stenographer.application.port.in.LogProofsUseCase;
import io.stenographer.application.port.in.EventCursors;
import io.stenographer.application.port.in.EventSearch;
import io.stenographer.application.port.in.QueryEventsUseCase;
import io.stenographer.application.port.in.RecordEventsCommand;
import io.stenographer.application.port.in.RecordEventsResult.Conflicting;
import io.stenographer.application.port.in.RecordEventsResult.ItemOutcome;
import io.stenographer.application.port.in.RecordEventsResult.Recorded;
import io.stenographer.application.port.in.RecordEventsResult.Rejected;
import io.stenographer.application.port.in.RecordEventsResult.Replayed;
import io.stenographer.application.port.in.RecordEventsUseCase;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.query.EventPage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import io.stenographer.application.port.in.RevealPersonalDataUseCase;
import io.stenographer.domain.event.AuditEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Ingest and query of audit events. */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "events")
@SecurityRequirement(name = "bearer")
public class EventsResource {

    private final RecordEventsUseCase recordEvents;
    private final QueryEventsUseCase queryEvents;
    private final GetEventUseCase getEvent;
    private final LogProofsUseCase logProofs;
    private final CurrentCaller currentCaller;
    private final IngestMetrics metrics;
    private final int maxEventBytes;
    private final EventBatches batches;
    private final RevealPersonalDataUseCase revealPersonalData;

    EventsResource(RecordEventsUseCase recordEvents, QueryEventsUseCase queryEvents, GetEventUseCase getEvent,
            LogProofsUseCase logProofs, CurrentCaller currentCaller, IngestMetrics metrics,
            EventBatches batches, RevealPersonalDataUseCase revealPersonalData,
            @ConfigProperty(name = "stenographer.ingest.max-event-bytes", defaultValue = "262144") int maxEventBytes) {
        this.recordEvents = recordEvents;
        this.queryEvents = queryEvents;
        this.getEvent = getEvent;
        this.logProofs = logProofs;
        this.currentCaller = currentCaller;
        this.metrics = metrics;
        this.maxEventBytes = maxEventBytes;
        this.batches = batches;
        this.revealPersonalData = revealPersonalData;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("audit-writer")
    @Operation(summary = "Record one event", description = "Answers only after the event is durably committed.")
    @RequestBody(content = @Content(schema = @Schema(implementation = EventRequest.class)))
    @APIResponse(responseCode = "201", description = "Recorded",
            content = @Content(schema = @Schema(implementation = ReceiptResponse.class)))
    @APIResponse(responseCode = "200", description = "Retry of an event already recorded with the same content",
            content = @Content(schema = @Schema(implementation = ReceiptResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid event", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(implementation = ProblemResponse.class)))
    @APIResponse(responseCode = "409", description = "Idempotency key reused for different content")
    @APIResponse(responseCode = "413", description = "Body too large")
    public Response record(byte[] body,
            @Parameter(description = "Idempotency key; same as clientEventId") @HeaderParam("Idempotency-Key")
            String idempotencyKey) {
        long started = System.nanoTime();
        Caller caller = currentCaller.get();
        try {
            JsonNode tree = StrictJson.readTree(body, maxEventBytes);
            EventDraft draft = EventBatches.withIdempotencyKey(
                    EventRequestMapper.toDraft(StrictJson.bind(tree, EventRequest.class, ""), caller), idempotencyKey);
            ItemOutcome outcome = recordEvents.record(new RecordEventsCommand(caller, List.of(draft))).items().get(0);
            if (outcome instanceof Recorded recorded) {
                metrics.ingested(1, "created");
                return Response.created(URI.create("/api/v1/events/" + recorded.receipt().id()))
                        .entity(ReceiptResponse.created(recorded.receipt())).build();
            }
            if (outcome instanceof Replayed replayed) {
                metrics.ingested(1, "duplicate");
                return Response.ok(ReceiptResponse.duplicate(replayed.receipt())).build();
            }
            if (outcome instanceof Rejected rejected) {
                throw rejected.violation();
            }
            throw EventBatches.conflict((Conflicting) outcome);
        } catch (ProblemException e) {
            metrics.rejected(e.problem().slug(), 1);
            throw e;
        } catch (FieldViolation e) {
            metrics.rejected(ProblemType.VALIDATION_FAILED.slug(), 1);
            throw e;
        } catch (TenantAccessDenied e) {
            metrics.rejected(ProblemType.TENANT_ACCESS_DENIED.slug(), 1);
            throw e;
        } finally {
            metrics.latency(false).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("audit-writer")
    @Operation(summary = "Record up to 1,000 events (1 MiB) with a result per item",
            description = "Body: {\"events\": [EventRequest, ...]}. Valid items are recorded even when others are "
                    + "rejected; every item gets its own status. With an Idempotency-Key header K, an item without "
                    + "clientEventId uses K:<index>.")
    @APIResponse(responseCode = "200", description = "Per-item results",
            content = @Content(schema = @Schema(implementation = BatchResponse.class)))
    @APIResponse(responseCode = "413", description = "Too many events or bytes")
    public BatchResponse recordBatch(byte[] body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        long started = System.nanoTime();
        Caller caller = currentCaller.get();
        try {
            return batches.record(caller, body, idempotencyKey);
        } catch (ProblemException e) {
            metrics.rejected(e.problem().slug(), 1);
            throw e;
        } catch (TenantAccessDenied e) {
            metrics.rejected(ProblemType.TENANT_ACCESS_DENIED.slug(), 1);
            throw e;
        } finally {
            metrics.latency(true).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    @GET
    @RolesAllowed("auditor")
    @Operation(summary = "Search events", description = "All filters combine. Pages are keyset-based and ordered "
            + "by (occurredAt, id). Every search is itself recorded as an audit.query event.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EventPageResponse.class)))
    public EventPageResponse search(
            @Parameter(description = "Tenant; optional when the token grants exactly one") @QueryParam("tenant") String tenant,
            @QueryParam("actor") String actor,
            @Parameter(description = "Exact action, or a prefix such as case.*") @QueryParam("action") String action,
            @QueryParam("resourceType") String resourceType,
            @QueryParam("resourceId") String resourceId,
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"success", "failure", "denied"}))
            @QueryParam("outcome") String outcome,
            @Parameter(description = "Inclusive lower bound on occurredAt (RFC 3339)") @QueryParam("from") String from,
            @Parameter(description = "Exclusive upper bound on occurredAt (RFC 3339)") @QueryParam("to") String to,
            @QueryParam("sourceApplication") String sourceApplication,
            @QueryParam("correlationId") String correlationId,
            @QueryParam("cursor") String cursor,
            @Parameter(description = "1 to 1000, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "Also return events already purged from the hot store, read back from their "
                    + "archive segments after checking them against the log; default false")
            @QueryParam("includeArchived") String includeArchived) {
        Caller caller = currentCaller.get();
        EventPage result = queryEvents.query(new EventSearch(tenant, actor, action, resourceType, resourceId, outcome,
                from, to, sourceApplication, correlationId, cursor, limit, includeArchived).toQuery(caller));
        var personalData = revealPersonalData.reveal(caller, result.events());
        return new EventPageResponse(result.events().stream()
                .map(event -> EventResponse.from(event, personalData.getOrDefault(event.id(), Map.of()))).toList(),
                result.next() == null ? null : EventCursors.encode(result.next()));
    }

    @GET
    @Path("{id}")
    @RolesAllowed("auditor")
    @Operation(summary = "Read one event", description = "Events of tenants the token does not grant answer 404.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EventResponse.class)))
    @APIResponse(responseCode = "404", description = "No such event visible to the caller")
    public EventResponse get(@PathParam("id") String id,
            @Parameter(description = "true: include the inclusion proof against the latest checkpoint")
            @QueryParam("proof") String proof) {
        Caller caller = currentCaller.get();
        boolean withProof = RequestParameters.flag("proof", proof);
        EventId eventId = EventId.parse(id);
        AuditEvent found = getEvent.get(new GetEventQuery(caller, eventId));
        EventResponse event = EventResponse.from(found,
                revealPersonalData.reveal(caller, List.of(found)).getOrDefault(found.id(), Map.of()));
        if (!withProof) {
            return event;
        }
        return event.withProof(logProofs.proveEvent(new EventInclusionQuery(caller, eventId))
                .<Object>map(InclusionProofResponse::from)
                .orElse(Map.of("status", "pending",
                        "detail", "the event is recorded and awaits integration into a signed checkpoint")));
    }
}
