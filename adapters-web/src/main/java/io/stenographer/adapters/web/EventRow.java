package io.stenographer.adapters.web;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.Timestamps;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** One line of a result table; the resource's type and id apart as well, for the link to its timeline. */
public record EventRow(String id, String occurredAt, String actorId, String action, String resource,
        String outcome, String resourceType, String resourceId) {

    /** The query parameters of this row's actor's timeline, encoded for a link. */
    public String actorTimeline() {
        return "actor=" + URLEncoder.encode(actorId, StandardCharsets.UTF_8);
    }

    /** The query parameters of this row's resource's timeline, encoded for a link; null without a resource. */
    public String resourceTimeline() {
        return resourceType == null ? null : "resourceType=" + URLEncoder.encode(resourceType, StandardCharsets.UTF_8)
                + "&resourceId=" + URLEncoder.encode(resourceId, StandardCharsets.UTF_8);
    }

    static EventRow from(AuditEvent event) {
        EventDraft content = event.content();
        return new EventRow(event.id().toString(), Timestamps.format(content.occurredAt()), content.actor().id(),
                content.action().value(),
                content.resource() == null ? "" : content.resource().type() + " " + content.resource().id(),
                content.outcome().wireName(), content.resource() == null ? null : content.resource().type(),
                content.resource() == null ? null : content.resource().id());
    }
}
