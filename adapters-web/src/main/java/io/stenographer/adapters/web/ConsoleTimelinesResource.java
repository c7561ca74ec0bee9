package io.stenographer.adapters.web;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.stenographer.application.port.in.ConsoleViewCommand;
import io.stenographer.application.port.in.EventCursors;
import io.stenographer.application.port.in.EventSearch;
import io.stenographer.application.port.in.QueryEventsQuery;
import io.stenographer.application.port.in.QueryEventsUseCase;
import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.query.EventPage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One actor's or one resource's events in time order, a day (UTC) at a heading, a page at a time: the same search
 * ({@link QueryEventsUseCase}, parsed by {@link EventSearch}) as the search page, narrowed to one subject.
 */
@Path("/console")
@Authenticated
public class ConsoleTimelinesResource {

    static class Templates {
        static TemplateInstance timeline(ConsolePage.Chrome chrome, TimelineForm form, List<Day> days,
                int shown, String firstPage, String nextPage, boolean searched) {
            return ConsoleTemplates.of("ConsoleTimelinesResource/timeline")
                    .data("chrome", chrome)
                    .data("form", form)
                    .data("days", days)
                    .data("shown", shown)
                    .data("firstPage", firstPage)
                    .data("nextPage", nextPage)
                    .data("searched", searched);
        }
    }

    /** Whose timeline, as the link or the form gave it; {@code from}/{@code to} narrow it to a period. */
    public record TimelineForm(String tenant, String actor, String resourceType, String resourceId, String from,
            String to, String limit) {

        boolean chosen() {
            return actor != null || resourceType != null || resourceId != null;
        }

        /** What the heading calls the timeline. */
        public String subject() {
            List<String> parts = new ArrayList<>();
            if (actor != null) {
                parts.add("actor " + actor);
            }
            if (resourceType != null || resourceId != null) {
                parts.add("resource " + (resourceType == null ? "(any type)" : resourceType) + " "
                        + (resourceId == null ? "(any id)" : resourceId));
            }
            return String.join(", ", parts);
        }

        EventSearch search(String cursor) {
            return new EventSearch(tenant, actor, null, resourceType, resourceId, null, from, to, null, null, cursor,
                    limit, null);
        }

        /** The query string of this timeline without a cursor. */
        String queryString() {
            return queryString(true);
        }

        /** What the page's view records: its identifiers in their own details, recorded in stored form. */
        Map<String, String> recorded() {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("query", queryString(false));
            ConsolePage.putIfPresent(details, ConsoleViewCommand.ACTOR, actor);
            ConsolePage.putIfPresent(details, ConsoleViewCommand.RESOURCE_ID, resourceId);
            return details;
        }

        private String queryString(boolean withIdentifiers) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("tenant", tenant);
            params.put("actor", withIdentifiers ? actor : null);
            params.put("resourceType", resourceType);
            params.put("resourceId", withIdentifiers ? resourceId : null);
            params.put("from", from);
            params.put("to", to);
            params.put("limit", limit);
            return QueryStrings.of(params);
        }
    }

    /** One UTC day of the timeline and its events, oldest first. */
    public record Day(String date, List<EventRow> rows) {
    }

    private final ConsolePage page;
    private final ConsoleSession session;
    private final QueryEventsUseCase queryEvents;
    private final RecordConsoleViewUseCase views;

    ConsoleTimelinesResource(ConsolePage page, ConsoleSession session, QueryEventsUseCase queryEvents,
            RecordConsoleViewUseCase views) {
        this.page = page;
        this.session = session;
        this.queryEvents = queryEvents;
        this.views = views;
    }

    @GET
    @Path("timelines")
    public Response timeline(@QueryParam("tenant") String tenant, @QueryParam("actor") String actor,
            @QueryParam("resourceType") String resourceType, @QueryParam("resourceId") String resourceId,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return page.run(() -> {
            Optional<TenantId> chosen = session.tenant(tenant);
            TimelineForm form = new TimelineForm(chosen.map(TenantId::value).orElse(null), blank(actor),
                    blank(resourceType), blank(resourceId), blank(from), blank(to), blank(limit));
            ConsolePage.Chrome chrome = page.chrome("timelines", chosen.orElse(null));
            if (chosen.isEmpty() || !form.chosen()) {
                return page.render(Templates.timeline(chrome, form, List.of(), 0, null, null, false));
            }
            Caller caller = session.caller();
            QueryEventsQuery query = form.search(blank(cursor)).toQuery(caller);
            EventPage result = queryEvents.query(query);
            Map<String, String> details = form.recorded();
            details.put("paged", blank(cursor) == null ? "first" : "next");
            details.put("results", Integer.toString(result.events().size()));
            views.record(new ConsoleViewCommand(caller, query.criteria().tenant(), "timeline", details));
            String base = "/console/timelines?" + form.queryString();
            String next = result.next() == null ? null : base + "&cursor=" + EventCursors.encode(result.next());
            return page.render(Templates.timeline(chrome, form, days(result.events()), result.events().size(),
                    blank(cursor) == null ? null : base, next, true));
        });
    }

    /** The page's events under one heading per UTC day, in the page's (time) order. */
    static List<Day> days(List<AuditEvent> events) {
        Map<LocalDate, List<EventRow>> byDay = new LinkedHashMap<>();
        for (AuditEvent event : events) {
            LocalDate day = LocalDate.ofInstant(event.content().occurredAt(), ZoneOffset.UTC);
            byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(EventRow.from(event));
        }
        List<Day> days = new ArrayList<>(byDay.size());
        byDay.forEach((day, rows) -> days.add(new Day(day.toString(), List.copyOf(rows))));
        return days;
    }

    private static String blank(String value) {
        return ConsoleEventsResource.blankToNull(value);
    }
}
