package io.stenographer.adapters.web;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.Timestamps;

/** One line of a result table. */
public record EventRow(String id, String occurredAt, String actorId, String action, String resource,
        String outcome) {

    static EventRow from(AuditEvent event) {
        EventDraft content = event.content();
        return new EventRow(event.id().toString(), Timestamps.format(content.occurredAt()), content.actor().id(),
                content.action().value(),
                content.resource() == null ? "" : content.resource().type() + " " + content.resource().id(),
                content.outcome().wireName());
    }
}
