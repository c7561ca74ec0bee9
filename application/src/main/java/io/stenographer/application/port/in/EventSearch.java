package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.query.ActionFilter;
import io.stenographer.domain.query.EventCriteria;
import io.stenographer.domain.query.PageRequest;

/**
 * An event search as a caller wrote it, every parameter still text: the one parser behind the API's
 * {@code GET /api/v1/events} and the console's search page, so both refuse the same inputs with the same message.
 * Absent parameters are null.
 */
public record EventSearch(String tenant, String actor, String action, String resourceType, String resourceId,
        String outcome, String from, String to, String sourceApplication, String correlationId, String cursor,
        String limit, String includeArchived) {

    /** The validated query; a bad parameter is a {@link FieldViolation} naming it. */
    public QueryEventsQuery toQuery(Caller caller) {
        EventCriteria criteria = new EventCriteria(
                caller.namedOrOnlyTenant(tenant),
                actor,
                action == null ? null : ActionFilter.parse(action),
                resourceType,
                resourceId,
                outcome == null ? null : Outcome.fromWireName("outcome", outcome),
                from == null ? null : Timestamps.parse("from", from),
                to == null ? null : Timestamps.parse("to", to),
                sourceApplication,
                correlationId);
        PageRequest page = new PageRequest(cursor == null ? null : EventCursors.decode(cursor),
                RequestParameters.integer("limit", limit, PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT));
        return new QueryEventsQuery(caller, criteria, page, RequestParameters.flag("includeArchived", includeArchived));
    }

}
