package io.stenographer.adapters.rest.events;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "EventPage")
public record EventPageResponse(
        List<EventResponse> events,
        @Schema(description = "Opaque cursor for the next page; absent on the last page") String nextCursor) {
}
