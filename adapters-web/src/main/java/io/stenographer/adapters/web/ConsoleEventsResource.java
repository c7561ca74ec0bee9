package io.stenographer.adapters.web;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.stenographer.application.port.in.ConsoleViewCommand;
import io.stenographer.application.port.in.CountEventsQuery;
import io.stenographer.application.port.in.CountEventsUseCase;
import io.stenographer.application.port.in.CountEventsUseCase.EventCount;
import io.stenographer.application.port.in.EventCursors;
import io.stenographer.application.port.in.EventInclusionQuery;
import io.stenographer.application.port.in.EventSearch;
import io.stenographer.application.port.in.GetEventQuery;
import io.stenographer.application.port.in.GetEventUseCase;
import io.stenographer.application.port.in.LogProofsUseCase;
import io.stenographer.application.port.in.LogProofsUseCase.InclusionAnswer;
import io.stenographer.application.port.in.QueryEventsQuery;
import io.stenographer.application.port.in.QueryEventsUseCase;
import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.application.port.in.RevealPersonalDataUseCase;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.privacy.PersonalValueState;
import io.stenographer.domain.query.EventPage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Search and event detail: the same use cases as {@code GET /api/v1/events}, rendered as pages. */
@Path("/console")
@Authenticated
public class ConsoleEventsResource {

    static class Templates {
        static TemplateInstance search(ConsolePage.Chrome chrome, SearchForm form, List<EventRow> rows,
                String nextPage, boolean searched, ResultCount count) {
            return ConsoleTemplates.of("ConsoleEventsResource/search")
                    .data("chrome", chrome)
                    .data("form", form)
                    .data("rows", rows)
                    .data("nextPage", nextPage)
                    .data("searched", searched)
                    .data("count", count);
        }

        static TemplateInstance event(ConsolePage.Chrome chrome, EventView event) {
            return ConsoleTemplates.of("ConsoleEventsResource/event").data("chrome", chrome).data("event", event);
        }
    }

    /** The search form as submitted, to fill the form again and to build the next page's link. */
    public record SearchForm(String tenant, String actor, String action, String resourceType, String resourceId,
            String outcome, String from, String to, String sourceApplication, String correlationId, String limit,
            boolean includeArchived) {

        EventSearch search(String cursor) {
            return new EventSearch(tenant, blankToNull(actor), blankToNull(action), blankToNull(resourceType),
                    blankToNull(resourceId), blankToNull(outcome), blankToNull(from), blankToNull(to),
                    blankToNull(sourceApplication), blankToNull(correlationId), cursor, blankToNull(limit),
                    includeArchived ? "true" : null);
        }

        boolean anyFilter() {
            return blankToNull(actor) != null || blankToNull(action) != null || blankToNull(resourceType) != null
                    || blankToNull(resourceId) != null || blankToNull(outcome) != null || blankToNull(from) != null
                    || blankToNull(to) != null || blankToNull(sourceApplication) != null
                    || blankToNull(correlationId) != null;
        }

        /** The query string of this search, without a cursor: what a bookmark or a shared link holds. */
        String queryString() {
            return queryString(true);
        }

        /**
         * What the page's view records: the search without its identifiers, which go in their own details so that
         * they are recorded in stored form (a pseudonym where personal).
         */
        Map<String, String> recorded() {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("query", queryString(false));
            ConsolePage.putIfPresent(details, ConsoleViewCommand.ACTOR, blankToNull(actor));
            ConsolePage.putIfPresent(details, ConsoleViewCommand.RESOURCE_ID, blankToNull(resourceId));
            return details;
        }

        private String queryString(boolean withIdentifiers) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("tenant", tenant);
            params.put("actor", withIdentifiers ? actor : null);
            params.put("action", action);
            params.put("resourceType", resourceType);
            params.put("resourceId", withIdentifiers ? resourceId : null);
            params.put("outcome", outcome);
            params.put("from", from);
            params.put("to", to);
            params.put("sourceApplication", sourceApplication);
            params.put("correlationId", correlationId);
            params.put("limit", limit);
            params.put("includeArchived", includeArchived ? "true" : null);
            return QueryStrings.of(params);
        }
    }

    /**
     * How many events the search matches, as the page says it: exactly up to the cap, else "more than" the cap.
     *
     * @param hotOnly archived events were asked for too; the count covers the stored (not archived) ones only
     */
    public record ResultCount(long matched, boolean more, boolean hotOnly) {

        public String text() {
            String number = String.format(Locale.ROOT, "%,d", matched);
            if (more) {
                return "More than " + number + " events match";
            }
            return number + (matched == 1 ? " event matches" : " events match");
        }
    }

    /** What the event page embeds for the browser to check: the very bytes hashed, the proof and the checkpoint. */
    public record EventView(String id, String tenant, String format, String leafInputBase64, String leafHash,
            Long leafIndex, Long treeSize, String rootHash, List<String> inclusionProof, String checkpoint,
            String verifierKey, Map<String, String> personalData) {

        /**
         * The data block the verifying script reads. Numbers go as strings (an index may pass 2^53); {@code <} is
         * escaped so that no value can close the script element.
         */
        public String json() {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            members.put("id", new JsonString(id));
            members.put("tenant", new JsonString(tenant));
            members.put("format", new JsonString(format));
            members.put("leafInput", new JsonString(leafInputBase64));
            members.put("leafHash", new JsonString(leafHash));
            if (leafIndex != null) {
                members.put("leafIndex", new JsonString(leafIndex.toString()));
                members.put("treeSize", new JsonString(treeSize.toString()));
                members.put("rootHash", new JsonString(rootHash));
                members.put("inclusionProof", new JsonArray(inclusionProof.stream().<JsonValue>map(JsonString::new)
                        .toList()));
                members.put("checkpoint", new JsonString(checkpoint));
            }
            members.put("verifierKey", new JsonString(verifierKey));
            return CanonicalJson.canonicalize(new JsonObject(members)).replace("<", "\\u003c");
        }
    }

    private final ConsolePage page;
    private final ConsoleSession session;
    private final QueryEventsUseCase queryEvents;
    private final GetEventUseCase getEvent;
    private final LogProofsUseCase logProofs;
    private final RevealPersonalDataUseCase revealPersonalData;
    private final RecordConsoleViewUseCase views;
    private final CountEventsUseCase countEvents;

    ConsoleEventsResource(ConsolePage page, ConsoleSession session, QueryEventsUseCase queryEvents,
            GetEventUseCase getEvent, LogProofsUseCase logProofs, RevealPersonalDataUseCase revealPersonalData,
            RecordConsoleViewUseCase views, CountEventsUseCase countEvents) {
        this.page = page;
        this.session = session;
        this.queryEvents = queryEvents;
        this.getEvent = getEvent;
        this.logProofs = logProofs;
        this.revealPersonalData = revealPersonalData;
        this.views = views;
        this.countEvents = countEvents;
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/console/events")).build();
    }

    @GET
    @Path("events")
    public Response search(@QueryParam("tenant") String tenant, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("resourceType") String resourceType,
            @QueryParam("resourceId") String resourceId, @QueryParam("outcome") String outcome,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("sourceApplication") String sourceApplication,
            @QueryParam("correlationId") String correlationId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit, @QueryParam("includeArchived") String includeArchived) {
        return page.run(() -> {
            Optional<TenantId> chosen = session.tenant(tenant);
            SearchForm form = new SearchForm(chosen.map(TenantId::value).orElse(null), actor, action, resourceType,
                    resourceId, outcome, from, to, sourceApplication, correlationId, limit,
                    "true".equals(includeArchived) || "on".equals(includeArchived));
            ConsolePage.Chrome chrome = page.chrome("search", chosen.orElse(null));
            if (chosen.isEmpty() || !form.anyFilter() && cursor == null) {
                return page.render(Templates.search(chrome, form, List.of(), null, false, null));
            }
            Caller caller = session.caller();
            QueryEventsQuery query = form.search(blankToNull(cursor)).toQuery(caller);
            EventPage result = queryEvents.query(query);
            // Counted up to a cap, so that a search over a whole tenant stays as fast as its first page.
            EventCount counted = countEvents.count(
                    new CountEventsQuery(caller, query.criteria(), CountEventsQuery.DEFAULT_CAP));
            ResultCount count = new ResultCount(counted.matched(), counted.more(), form.includeArchived());
            Map<String, String> details = form.recorded();
            details.put("results", Integer.toString(result.events().size()));
            details.put("matching", (counted.more() ? ">" : "") + counted.matched());
            views.record(new ConsoleViewCommand(caller, query.criteria().tenant(), "search", details));
            String next = result.next() == null ? null
                    : "/console/events?" + form.queryString() + "&cursor=" + EventCursors.encode(result.next());
            return page.render(Templates.search(chrome, form, result.events().stream().map(EventRow::from).toList(),
                    next, true, count));
        });
    }

    @GET
    @Path("events/{id}")
    public Response event(@PathParam("id") String id) {
        return page.run(() -> {
            Optional<Response> elsewhere = page.linkedFromAnotherSite("an event's page, which shows its personal"
                    + " data to those allowed to see it");
            if (elsewhere.isPresent()) {
                return elsewhere.get();
            }
            Caller caller = session.caller();
            EventId eventId = EventId.parse(id);
            AuditEvent event = getEvent.get(new GetEventQuery(caller, eventId));
            Optional<InclusionAnswer> proof = logProofs.proveEvent(new EventInclusionQuery(caller, eventId));
            Map<String, String> personal = new LinkedHashMap<>();
            revealPersonalData.reveal(caller, List.of(event)).getOrDefault(event.id(), Map.of())
                    .forEach((field, state) -> personal.put(field.path(), shown(state)));
            views.record(new ConsoleViewCommand(caller, event.content().tenant(), "event", Map.of("eventId", id)));
            EventView view = new EventView(event.id().toString(), event.content().tenant().value(), event.format(),
                    Base64.getEncoder().encodeToString(event.leafInput()), event.leafHash().hex(),
                    proof.map(p -> p.leaf().index()).orElse(null),
                    proof.map(p -> p.checkpoint().treeSize()).orElse(null),
                    proof.map(p -> p.checkpoint().checkpoint().rootHash().base64()).orElse(null),
                    proof.map(p -> p.proof().path().stream().map(Hash::base64).toList()).orElse(List.of()),
                    proof.map(p -> p.checkpoint().signedNote()).orElse(null),
                    logProofs.verifierKey(), personal);
            return page.render(Templates.event(page.chrome("search", event.content().tenant()), view));
        });
    }

    private static String shown(PersonalValueState state) {
        if (state instanceof PersonalValueState.Revealed revealed) {
            return revealed.disclosure().value() instanceof JsonString text ? text.value()
                    : CanonicalJson.canonicalize(revealed.disclosure().value());
        }
        return state.getClass().getSimpleName().toLowerCase();
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
